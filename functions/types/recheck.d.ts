// recheck's pure-JavaScript build (the package's `browser` entry): the same checker as its main
// entry without the synckit worker, which a Lambda bundle cannot start (see functions/shared/pattern-safety.ts).
// It is CommonJS marked __esModule: Node's ESM loader sees it as a default export, CommonJS
// interop (jest's SWC transform) as named exports; pattern-safety.ts takes whichever is there.
declare module 'recheck/lib/browser.js' {
  type Recheck = Pick<typeof import('recheck'), 'check' | 'checkSync'>;
  export const checkSync: Recheck['checkSync'];
  export const check: Recheck['check'];
  const recheck: Recheck;
  export default recheck;
}
