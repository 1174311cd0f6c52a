// Staff console build: Vite 8 (Rolldown + Oxc) transforms .tsx itself, so no React plugin is needed.
// Output: admin-web/dist/, served at '/' by the local runtime and CloudFront (API on the same origin).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Edge/Chrome/Safari of the last few years; IE is turned away by public/browser-check.js.
    target: ['chrome111', 'edge111', 'safari16.4'],
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    // `npx vite --config admin-web/vite.config.ts` with `npm start` running: API calls go to the runtime.
    proxy: { '/api': process.env.ADMIN_API_ORIGIN ?? 'http://127.0.0.1:3000' },
  },
});
