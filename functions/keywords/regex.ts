/** How a keyword rule's regular expression is compiled — by the save-time check and by the matcher alike. */
export function compileKeywordRegex(source: string): RegExp {
  return new RegExp(source, 'iu');
}
