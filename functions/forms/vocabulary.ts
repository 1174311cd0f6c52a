/**
 * The forms capability's fixed words: item types, friend attributes, text charsets and the default
 * media limits. Dependency-free on purpose (no imports at all): the staff console and the LIFF pages
 * import these constants as they are, so the server's lists are the only lists. form.ts re-exports them.
 */

export const ITEM_TYPES = ['single', 'multiple', 'dropdown', 'text', 'date', 'image', 'video'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Friend attributes a profile form item can be mapped to (segments filter on them). */
export const ATTRIBUTES = ['district', 'ageBand', 'gender', 'categories'] as const;
export type AttributeName = (typeof ATTRIBUTES)[number];

/** What a text item accepts. */
export const CHARSETS = ['any', 'alphanumeric', 'numeric'] as const;
export type Charset = (typeof CHARSETS)[number];

/** Items answered by picking choices. */
export const CHOICE_TYPES: ReadonlySet<ItemType> = new Set(['single', 'multiple', 'dropdown']);
/** Items answered with a photo or a video. */
export const MEDIA_TYPES: ReadonlySet<ItemType> = new Set(['image', 'video']);

export interface MediaRules {
  maxBytes: number;
  types: string[];
}

/** Default media limits (contract): images jpeg/png/webp/gif ≤ 10 MB, videos mp4/quicktime ≤ 50 MB. */
export const DEFAULT_MEDIA: Record<'image' | 'video', MediaRules> = {
  image: { maxBytes: 10 * 1024 * 1024, types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] },
  video: { maxBytes: 50 * 1024 * 1024, types: ['video/mp4', 'video/quicktime'] },
};

/** Default text limits when staff set none (the server's validation and the LIFF page's check). */
export const TEXT_MAX = { singleLine: 200, multiline: 2000 } as const;

/** The longest answer a text item takes. */
export const textMaxLength = (rules: { maxLength?: number; multiline?: boolean }) =>
  rules.maxLength ?? (rules.multiline ? TEXT_MAX.multiline : TEXT_MAX.singleLine);
