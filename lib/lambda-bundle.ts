/**
 * How a Lambda bundle is built, once: AppFunction (lib/constructs/app-function.ts) gives these to
 * CDK's esbuild, and what bundles a handler outside CDK the same way — the local runtime's worker
 * threads (local/lambda-worker.ts) and the benchmarks that run a handler in a process of its own
 * (bench/forms.ts, bench/planner-scale.ts) — uses `lambdaEsbuildOptions`.
 */
import type { BuildOptions } from 'esbuild';

/** CommonJS dependencies inside an ESM bundle still call require(): give them one (aliased, so no bundled import can clash). */
export const ESM_REQUIRE_BANNER = "import { createRequire as __cjsRequire } from 'module'; const require = __cjsRequire(import.meta.url);";

/** Prefer packages' ESM entry points (tree-shaken), else their CommonJS one. */
export const LAMBDA_MAIN_FIELDS = ['module', 'main'];

/**
 * Minified, with a source map without sources: mapped stack traces need names and lines, not the
 * sources, and a smaller map parses faster at cold start (~10 MB less per admin API process).
 */
export const LAMBDA_MINIFY = true;
export const LAMBDA_SOURCES_CONTENT = false;

/** esbuild's options for a bundle built as AppFunction builds a Lambda's (Node 20 here, 22 in Lambda). */
export function lambdaEsbuildOptions(overrides: BuildOptions = {}): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: LAMBDA_MINIFY,
    sourcemap: true,
    sourcesContent: LAMBDA_SOURCES_CONTENT,
    mainFields: LAMBDA_MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'error',
    ...overrides,
  };
}
