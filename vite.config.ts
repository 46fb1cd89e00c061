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
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite` during development: the API and sockets live on the game server.
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
