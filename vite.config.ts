// Builds the browser client from client/ into dist/client/, which the server serves with an SPA fallback.
// The bundle may import shared/ (types and schemas), never server/.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./client', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  clearScreen: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    reportCompressedSize: true,
    // A budget, not a limit: the client is one bundle (about 360 kB, 107 kB gzipped), fetched once by a phone; warn
    // when it outgrows that by a tenth, not on every first `npm start`.
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite` during development: the API and sockets live on the game server.
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
