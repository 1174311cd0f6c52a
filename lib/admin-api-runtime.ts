/**
 * Node flags of the admin-api Lambda, in one place: lib/api-stack.ts sets them as NODE_OPTIONS and
 * bench/forms.ts runs the isolated forms export with the same value, so the benchmark measures
 * what the function runs. No CDK imports here: the benchmark loads this file.
 *
 * Why these V8 heap limits (measured with bench/forms.ts and prepareImage on generated images):
 * - Uncapped, V8 sizes the heap from the machine's memory and grows it lazily, so the 100,000-row
 *   CSV export's RSS climbed to ~180 MB although its live set is small. With these flags it stays
 *   near 100 MB (target ≤ 150 MB).
 * - The old-space cap must still fit the largest JPEG the media upload accepts: jpeg-js keeps about
 *   8 bytes per pixel on the V8 heap, so a ~24-megapixel JPEG (the most it decodes) needs 240 MB;
 *   at 224 MB the process dies with "heap out of memory". 384 MB leaves a margin of 1.6×.
 * - A 4 MB semi-space (young generation 12 MB instead of 48 MB) is what keeps the export's RSS low;
 *   it did not slow the export or image processing measurably.
 */

/** V8 heap limits of the admin-api function (see above). */
export const ADMIN_API_V8_FLAGS = ['--max-old-space-size=384', '--max-semi-space-size=4'] as const;

/**
 * The admin-api function's NODE_OPTIONS. An environment entry replaces AppFunction's default
 * NODE_OPTIONS (`--enable-source-maps`), so the default is repeated here; the CDK test checks that
 * it matches the other functions' value.
 */
export const ADMIN_API_NODE_OPTIONS = ['--enable-source-maps', ...ADMIN_API_V8_FLAGS].join(' ');
