// recheck's pure-JavaScript build (the package's `browser` entry): the same checker as its main
// entry without the synckit worker, which a Lambda bundle cannot start (see functions/forms/pattern-safety.ts).
declare module 'recheck/lib/browser.js' {
  export { check, checkSync } from 'recheck';
}
