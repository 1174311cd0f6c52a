/**
 * Delivery images: checked by their first bytes (never the declared type), decoded, re-encoded in
 * the same format (which also drops EXIF metadata such as a phone's GPS position; the EXIF
 * orientation is applied first), the original fitted within 2048 px and a 240 px-wide preview
 * made. LINE: JPEG/PNG, original ≤ 10 MB, preview ≤ 1 MB.
 */
import { Jimp, defaultFormats } from 'jimp';
import { detectType } from '../forms/magic';
import { ValidationError } from '../shared/errors';
import { DELIVERY_IMAGE } from './model';

export const MEDIA_LIMITS = {
  /** Upload limit (API Gateway allows 6 MB bodies). */
  uploadBytes: DELIVERY_IMAGE.maxBytes,
  /**
   * Decoding cost guard: a small file can declare a huge bitmap. jimp's JPEG decoder refuses
   * about 24.5 Mpx (its 512 MB limit) and a 24 Mpx photo peaks at ~900 MB RSS, so the limit is
   * checked here from the header, with a clear message, before decoding.
   */
  maxPixels: 24_000_000,
  originalSide: 2048,
  originalBytes: 10 * 1024 * 1024,
  previewWidth: 240,
  previewBytes: 1024 * 1024,
  jpegQuality: 85,
} as const;

export type ImageType = 'image/jpeg' | 'image/png';

export interface PreparedImage {
  contentType: ImageType;
  /** Of the resized original. */
  width: number;
  height: number;
  original: Buffer;
  preview: Buffer;
}

type JimpImage = ReturnType<typeof Jimp.fromBitmap>;
interface RawBitmap {
  data: Buffer;
  width: number;
  height: number;
}
/** jimp's own JPEG and PNG codecs, used directly: `Jimp.read` sniffs the type with a dynamic
 * import of the ESM-only `file-type`, which CommonJS test runs cannot load, and we know the type. */
const CODECS = new Map(defaultFormats.map((format) => format()).map((codec) => [codec.mime as string, codec]));

export type MediaLimits = { readonly [K in keyof typeof MEDIA_LIMITS]: number };

/**
 * Checks, resizes and re-encodes an uploaded image. Throws ValidationError (Japanese) for staff.
 * `overrides` exists for tests (small limits exercise the same paths with small images).
 */
export async function prepareImage(bytes: Buffer, overrides: Partial<MediaLimits> = {}): Promise<PreparedImage> {
  const limits: MediaLimits = { ...MEDIA_LIMITS, ...overrides };
  if (bytes.length === 0) throw new ValidationError('画像ファイルが空です。');
  if (bytes.length > limits.uploadBytes) throw new ValidationError(`画像が大きすぎます（${megabytes(limits.uploadBytes)}MBまで）。`);
  const contentType = imageTypeOf(bytes);
  const size = declaredSize(bytes, contentType);
  if (!size) throw new ValidationError('画像を読み込めませんでした。ファイルが壊れていないか確認してください。');
  if (size.width * size.height > limits.maxPixels)
    throw new ValidationError(
      `画像の画素数が大きすぎます（${(limits.maxPixels / 10_000).toLocaleString('ja-JP')}万画素まで）。縮小してからアップロードしてください。`,
    );

  const image = await decode(bytes, contentType);
  fitWithin(image, limits.originalSide);
  const original = await encodeWithin(image, contentType, limits.originalBytes, limits.jpegQuality);

  const preview = image.clone();
  if (preview.width > limits.previewWidth) preview.resize({ w: limits.previewWidth });
  const previewBytes = await encodeWithin(preview, contentType, limits.previewBytes, limits.jpegQuality);

  return { contentType, width: image.width, height: image.height, original, preview: previewBytes };
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * An image kept as it was sent (a rich menu's: LINE wants its exact size): the type by its first
 * bytes and the size from its header, without decoding the picture (LINE checks the picture itself
 * when it is uploaded there, and a refusal then changes nothing).
 */
export function inspectImage(bytes: Buffer, maxBytes: number): { contentType: ImageType; width: number; height: number } {
  if (bytes.length === 0) throw new ValidationError('画像ファイルが空です。');
  if (bytes.length > maxBytes) throw new ValidationError(`画像が大きすぎます（${megabytes(maxBytes)}MBまで）。`);
  const contentType = imageTypeOf(bytes);
  const size = declaredSize(bytes, contentType);
  if (!size) throw new ValidationError('画像を読み込めませんでした。ファイルが壊れていないか確認してください。');
  return { contentType, ...size };
}

function imageTypeOf(bytes: Buffer): ImageType {
  const type = detectType(bytes);
  if (type === 'image/jpeg' || type === 'image/png') return type;
  throw new ValidationError('JPEGまたはPNGの画像を選んでください。');
}

async function decode(bytes: Buffer, type: ImageType): Promise<JimpImage> {
  let bitmap: RawBitmap;
  try {
    const codec = CODECS.get(type);
    if (!codec?.decode) throw new Error(`No decoder for ${type}`);
    const decoded = (await codec.decode(bytes)) as RawBitmap;
    bitmap = { data: Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength), width: decoded.width, height: decoded.height };
  } catch {
    throw new ValidationError('画像を読み込めませんでした。ファイルが壊れていないか確認してください。');
  }
  if (type === 'image/jpeg') bitmap = applyOrientation(bitmap, jpegOrientation(bytes));
  return Jimp.fromBitmap(bitmap);
}

/** Shrinks (never enlarges) so that neither side exceeds `side`, keeping the aspect ratio. */
function fitWithin(image: JimpImage, side: number): void {
  if (image.width <= side && image.height <= side) return;
  image.scaleToFit({ w: side, h: side });
}

/** Encodes; while the result is over `maxBytes`, halves the image (a noisy PNG can stay large). */
async function encodeWithin(image: JimpImage, type: ImageType, maxBytes: number, quality: number): Promise<Buffer> {
  for (;;) {
    const out = type === 'image/jpeg' ? await image.getBuffer('image/jpeg', { quality }) : await image.getBuffer('image/png');
    if (out.length <= maxBytes || image.width <= 16 || image.height <= 16) return out;
    image.resize({ w: Math.max(1, Math.floor(image.width / 2)) });
  }
}

// ---- dimensions from the header (before decoding) ---------------------------------------------------

/** Width and height as the file declares them, or null when the header cannot be read. */
export function declaredSize(bytes: Buffer, type: ImageType): { width: number; height: number } | null {
  return type === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
}

function pngSize(bytes: Buffer): { width: number; height: number } | null {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

/** Walks the JPEG segments to the first start-of-frame marker (SOF0..SOF15 except DHT, JPG, DAC). */
function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      const height = bytes.readUInt16BE(i + 5);
      const width = bytes.readUInt16BE(i + 7);
      return width > 0 && height > 0 ? { width, height } : null;
    }
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return null;
}

// ---- EXIF orientation (phone photos are stored sideways with a tag saying how to turn them) --------

/** The EXIF Orientation tag (1..8) of a JPEG, 1 when absent or unreadable. */
export function jpegOrientation(bytes: Buffer): number {
  try {
    let i = 2;
    while (i + 4 < bytes.length && bytes[i] === 0xff) {
      const marker = bytes[i + 1];
      if (marker === 0xda || marker === 0xd9) return 1; // image data starts: no EXIF before it
      const length = bytes.readUInt16BE(i + 2);
      if (marker === 0xe1 && bytes.subarray(i + 4, i + 10).toString('latin1') === 'Exif\0\0') return tiffOrientation(bytes.subarray(i + 10, i + 2 + length));
      i += 2 + length;
    }
  } catch {
    // A malformed EXIF block is ignored, as viewers do.
  }
  return 1;
}

function tiffOrientation(tiff: Buffer): number {
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  const entries = u16(ifd);
  for (let n = 0; n < entries; n++) {
    const entry = ifd + 2 + n * 12;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Turns the pixels upright. Maps each target pixel to its source pixel (the same mapping as
 * jimp's `Jimp.read`, which cannot be used here; see CODECS).
 */
export function applyOrientation(bitmap: RawBitmap, orientation: number): RawBitmap {
  if (orientation < 2 || orientation > 8) return bitmap;
  const { width: w, height: h, data: source } = bitmap;
  const swap = orientation > 4;
  const width = swap ? h : w;
  const height = swap ? w : h;
  const sourceOf: Record<number, (x: number, y: number) => [number, number]> = {
    2: (x, y) => [w - x - 1, y],
    3: (x, y) => [w - x - 1, h - y - 1],
    4: (x, y) => [x, h - y - 1],
    5: (x, y) => [y, x],
    6: (x, y) => [y, h - x - 1],
    7: (x, y) => [w - y - 1, h - x - 1],
    8: (x, y) => [w - y - 1, x],
  };
  const map = sourceOf[orientation];
  const data = Buffer.alloc(source.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = map(x, y);
      data.writeUInt32BE(source.readUInt32BE((sy * w + sx) << 2), (y * width + x) << 2);
    }
  }
  return { data, width, height };
}
