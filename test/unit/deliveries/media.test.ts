import { Jimp } from 'jimp';
import { MEDIA_LIMITS, applyOrientation, declaredSize, jpegOrientation, prepareImage } from '../../../functions/deliveries/media';
import { detectType } from '../../../functions/forms/magic';
import { ValidationError } from '../../../functions/shared/errors';

async function solid(width: number, height: number, type: 'image/png' | 'image/jpeg'): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0x2e7d32ff });
  return type === 'image/png' ? image.getBuffer('image/png') : image.getBuffer('image/jpeg', { quality: 90 });
}

/** Random pixels compress badly: a PNG that stays large after resizing. */
async function noisyPng(width: number, height: number): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0x000000ff });
  let seed = 42;
  const data = image.bitmap.data;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : seed >>> 24;
  }
  return image.getBuffer('image/png');
}

async function rejection(bytes: Buffer): Promise<ValidationError> {
  const error = await prepareImage(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('prepareImage', () => {
  // Images stay small: jimp runs several times slower inside jest's sandbox than in Node.
  it('fits a wide JPEG within 2048 px, keeps the aspect ratio and makes a 240 px preview', async () => {
    const out = await prepareImage(await solid(2560, 320, 'image/jpeg'));
    expect(out.contentType).toBe('image/jpeg');
    expect([out.width, out.height]).toEqual([2048, 256]);
    expect(detectType(out.original)).toBe('image/jpeg');
    expect(detectType(out.preview)).toBe('image/jpeg');
    expect(declaredSize(out.original, 'image/jpeg')).toEqual({ width: out.width, height: out.height });
    expect(declaredSize(out.preview, 'image/jpeg')).toEqual({ width: 240, height: 30 });
    expect(out.preview.length).toBeLessThanOrEqual(MEDIA_LIMITS.previewBytes);
  });

  it('fits a tall PNG by its height and stays PNG (smaller limits, same paths)', async () => {
    const out = await prepareImage(await solid(150, 1000, 'image/png'), { originalSide: 500, previewWidth: 60 });
    expect(out.contentType).toBe('image/png');
    expect([out.width, out.height]).toEqual([75, 500]);
    expect(detectType(out.original)).toBe('image/png');
    expect(detectType(out.preview)).toBe('image/png');
    expect(declaredSize(out.original, 'image/png')).toEqual({ width: 75, height: 500 });
    expect(declaredSize(out.preview, 'image/png')).toEqual({ width: 60, height: 400 });
  });

  it('never enlarges a small image (original and preview keep their size)', async () => {
    const out = await prepareImage(await solid(100, 50, 'image/png'));
    expect([out.width, out.height]).toEqual([100, 50]);
    expect(declaredSize(out.preview, 'image/png')).toEqual({ width: 100, height: 50 });
  });

  it('halves the preview until it fits its byte limit (an incompressible PNG)', async () => {
    // The same loop that keeps real previews within 1 MB, with a 20 KB limit and a small noisy image.
    const input = await noisyPng(200, 200);
    const out = await prepareImage(input, { previewBytes: 20_000 });
    expect([out.width, out.height]).toEqual([200, 200]);
    expect(out.preview.length).toBeLessThanOrEqual(20_000);
    expect(declaredSize(out.preview, 'image/png')).toEqual({ width: 50, height: 50 });
    // With the real limit the 200 px noise preview is kept whole.
    const real = await prepareImage(input);
    expect(declaredSize(real.preview, 'image/png')).toEqual({ width: 200, height: 200 });
    expect(real.preview.length).toBeLessThanOrEqual(MEDIA_LIMITS.previewBytes);
  });

  it('refuses a text file named .png (type by magic bytes)', async () => {
    const error = await rejection(Buffer.from('this is not an image, whatever the name says.png'));
    expect(error.message).toBe('JPEGまたはPNGの画像を選んでください。');
  });

  it('refuses GIF and other images LINE does not take', async () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(32)]);
    expect((await rejection(gif)).message).toMatch(/JPEGまたはPNG/);
  });

  it('refuses more than 5 MB before looking inside', async () => {
    const big = Buffer.alloc(MEDIA_LIMITS.uploadBytes + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    expect((await rejection(big)).message).toBe('画像が大きすぎます（5MBまで）。');
    expect((await rejection(Buffer.alloc(0))).message).toMatch(/空/);
  });

  it('refuses a small file that declares a huge bitmap, without decoding it', async () => {
    const png = await solid(10, 10, 'image/png');
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    expect(declaredSize(png, 'image/png')).toEqual({ width: 20_000, height: 20_000 });
    expect((await rejection(png)).message).toMatch(/画素数が大きすぎます/);
  });

  it('refuses a corrupt image with the right signature', async () => {
    const png = (await solid(10, 10, 'image/png')).subarray(0, 40);
    expect((await rejection(png)).message).toMatch(/読み込めませんでした/);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56]);
    expect((await rejection(jpeg)).message).toMatch(/読み込めませんでした/);
  });
});

/** A JPEG with an EXIF APP1 segment (big-endian TIFF, IFD0 with one Orientation entry) after SOI. */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

describe('EXIF orientation', () => {
  it('turns a phone photo stored sideways upright (orientation 6: rotate 90° clockwise)', async () => {
    const jpeg = withOrientation(await solid(40, 20, 'image/jpeg'), 6);
    expect(jpegOrientation(jpeg)).toBe(6);
    const out = await prepareImage(jpeg);
    expect([out.width, out.height]).toEqual([20, 40]);
    // Re-encoded without the EXIF block (no location or camera data is published).
    expect(jpegOrientation(out.original)).toBe(1);
    expect(out.original.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
  });

  it('maps pixels like a viewer does', () => {
    // 2×1 image: red then blue. Rotated 90° clockwise: red on top, blue below.
    const red = 0xff0000ff;
    const blue = 0x0000ffff;
    const data = Buffer.alloc(8);
    data.writeUInt32BE(red, 0);
    data.writeUInt32BE(blue, 4);
    const turned = applyOrientation({ data, width: 2, height: 1 }, 6);
    expect([turned.width, turned.height]).toEqual([1, 2]);
    expect([turned.data.readUInt32BE(0), turned.data.readUInt32BE(4)]).toEqual([red, blue]);
    const left = applyOrientation({ data, width: 2, height: 1 }, 8);
    expect([left.data.readUInt32BE(0), left.data.readUInt32BE(4)]).toEqual([blue, red]);
    const mirrored = applyOrientation({ data, width: 2, height: 1 }, 2);
    expect([mirrored.data.readUInt32BE(0), mirrored.data.readUInt32BE(4)]).toEqual([blue, red]);
    expect(applyOrientation({ data, width: 2, height: 1 }, 1).data).toBe(data);
  });

  it('is 1 without EXIF', async () => {
    expect(jpegOrientation(await solid(10, 10, 'image/jpeg'))).toBe(1);
  });
});

describe('declaredSize', () => {
  it('reads JPEG and PNG headers', async () => {
    expect(declaredSize(await solid(321, 123, 'image/jpeg'), 'image/jpeg')).toEqual({ width: 321, height: 123 });
    expect(declaredSize(await solid(321, 123, 'image/png'), 'image/png')).toEqual({ width: 321, height: 123 });
    expect(declaredSize(Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg')).toBeNull();
  });
});
