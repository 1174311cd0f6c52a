// Citizen LIFF pages: vanilla TypeScript (no framework, the page must stay light on phones).
// Output: liff-web/dist/, served at /liff/ by the local runtime and CloudFront (API on the same origin).
// The LIFF SDK is a separate chunk, loaded only inside LINE (not in the simulator's overlay).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/liff/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // LINE's in-app browser: WKWebView (iOS 16.4+) and Android System WebView (Chrome 111+).
    target: ['chrome111', 'safari16.4'],
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': process.env.LIFF_API_ORIGIN ?? 'http://127.0.0.1:3000' },
  },
});
