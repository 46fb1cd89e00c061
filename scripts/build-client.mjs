// Builds the browser client (client/ -> dist/client/) with Vite, using vite.config.ts. `npm run build:client`.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildClient({ quiet = false } = {}) {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    throw new Error('Vite is not installed: run `npm install` (the client is built with the dev dependencies).');
  }
  // The config sets root (client/) and outDir (dist/client/); an inline root here would override it.
  await vite.build({ configFile: `${root}vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildClient().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
