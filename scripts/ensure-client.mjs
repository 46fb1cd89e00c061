// Before `npm start`: builds the client only when dist/client is missing or older than its sources
// (client/, shared/, vite.config.ts and the lock file), so a normal start costs a few stat calls. Its lines go to
// stderr: the server's stdout is its JSON log, one object a line, for a collector to parse.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient } from './build-client.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'client', 'index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted file changes its folder's mtime
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

export function clientIsStale() {
  if (!existsSync(built)) return 'missing';
  const builtAt = statSync(built).mtimeMs;
  const sources = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) => newest(join(root, p)));
  return Math.max(...sources) > builtAt ? 'stale' : null;
}

// A server pointed at another client directory (CLIENT_DIR) does not serve dist/client: nothing to build.
const elsewhere = process.env.CLIENT_DIR && resolve(root, process.env.CLIENT_DIR) !== join(root, 'dist', 'client');
const why = elsewhere ? null : clientIsStale();
if (why) {
  console.error(`client: ${why === 'missing' ? 'not built yet' : 'sources changed'}; building dist/client…`);
  try {
    await buildClient({ quiet: true });
    console.error('client: built');
  } catch (err) {
    console.error(`client: build failed: ${err instanceof Error ? err.message : err}`);
    // A stale bundle still serves; a missing one cannot.
    if (why === 'missing') process.exit(1);
    console.error('client: serving the previous build');
  }
}
