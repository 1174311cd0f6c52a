// The LINE simulator's phone page (staff training: they act as citizens in a LINE-like chat).
// Vanilla TypeScript, no framework, no CDN. Output: simulator/phone-web/dist/, served by the
// simulator itself at / (index.html, no-store) and /assets/* (content-hashed, cacheable).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The city's PCs (Edge/Chrome) and the phones staff train on.
    target: ['chrome111', 'edge111', 'firefox115', 'safari16.4'],
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    // `npx vite simulator/phone-web` against a running simulator (default port 3100).
    proxy: { '/sim': process.env.LINE_SIM_ORIGIN ?? 'http://127.0.0.1:3100' },
  },
});
