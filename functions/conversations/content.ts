/** Port: the bytes of a friend's image, video, audio or file message, from LINE (kept by LINE for a limited time). */
export interface MessageContentReader {
  /** null when LINE no longer has it (404/410) — the console says so instead of failing. */
  get(messageId: string, maxBytes: number): Promise<{ contentType: string; bytes: Buffer } | null>;
}

/** What the console shows inline (images only: anything else is offered as a download). */
export const VIEWABLE_CONTENT_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
/**
 * Beyond this the console gets a clear refusal: the admin API answers from Lambda, whose response
 * is at most 6 MB — 4 MB of bytes as base64 (a video is watched in LINE, not through the console).
 */
export const CONTENT_MAX_BYTES = 4 * 1024 * 1024;
