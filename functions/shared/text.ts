/**
 * Counting what a person sees as characters (grapheme clusters: "👍🏽" and "が" are one each), as
 * LINE counts action labels. Intl.Segmenter is quadratic in the input's length in V8 (every
 * segment copies the whole input: 60 KB took 11 s and gigabytes), so the raw length is capped
 * first: no cluster a person types is longer than MAX_UNITS_PER_GRAPHEME UTF-16 units, so a text
 * longer than max × that cannot be within `max` and is refused without segmenting.
 */
const segmenter = new Intl.Segmenter('ja', { granularity: 'grapheme' });

/** Emoji ZWJ sequences (family, flag with tags) run to about 14 units; 16 leaves room. */
export const MAX_UNITS_PER_GRAPHEME = 16;

/** True when `text` has at most `max` grapheme clusters (never segments more than max × 16 units). */
export function withinGraphemes(text: string, max: number): boolean {
  if (text.length <= max) return true; // every cluster is at least one unit
  if (text.length > max * MAX_UNITS_PER_GRAPHEME) return false;
  let n = 0;
  for (const _ of segmenter.segment(text)) if (++n > max) return false;
  return true;
}

/**
 * The number of clusters, or `cap + 1` once there are more than `cap` (a text longer than
 * cap × 16 units is not segmented at all).
 */
export function graphemeCount(text: string, cap: number): number {
  if (text.length > cap * MAX_UNITS_PER_GRAPHEME) return cap + 1;
  let n = 0;
  for (const _ of segmenter.segment(text)) if (++n > cap) return n;
  return n;
}
