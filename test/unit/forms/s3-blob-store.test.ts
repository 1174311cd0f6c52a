/** S3BlobStore's direct-upload and download methods: command inputs and what the presigned URLs sign. */
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3BlobStore, s3Client } from '../../../functions/adapters/aws/s3-blob-store';

const s3 = mockClient(S3Client);
const client = () => s3Client({ region: 'ap-northeast-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const store = () => new S3BlobStore(client(), 'civic-line-test-uploads');

describe('S3BlobStore direct uploads', () => {
  beforeEach(() => s3.reset());

  it('presigns a PUT to the regional endpoint with Content-Type and Content-Length signed and no empty-body checksum', async () => {
    // Act
    const target = await store().uploadTarget('uploads/pending/01ABC', 'image/png', 12_345, 600);
    // Assert
    const url = new URL(target.url);
    expect(url.origin).toBe('https://civic-line-test-uploads.s3.ap-northeast-1.amazonaws.com');
    expect(url.pathname).toBe('/uploads/pending/01ABC');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    // A checksum of zero bytes signed into the URL would make S3 refuse every real upload.
    expect([...url.searchParams.keys()].filter((k) => k.toLowerCase().includes('checksum'))).toEqual([]);
    expect(target).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/png' } });
    expect(Date.parse(target.expiresAt) - Date.now()).toBeGreaterThan(590_000);
  });

  it('reads the size with HEAD (null when missing) and only the first bytes with a ranged GET', async () => {
    s3.on(HeadObjectCommand, { Key: 'uploads/pending/a' }).resolves({ ContentLength: 52_428_800 });
    s3.on(HeadObjectCommand, { Key: 'uploads/pending/b' }).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound' }));
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array([0x89, 0x50]) } as never });
    expect(await store().size('uploads/pending/a')).toBe(52_428_800);
    expect(await store().size('uploads/pending/b')).toBeNull();
    expect(await store().firstBytes('uploads/pending/a', 16)).toEqual(Buffer.from([0x89, 0x50]));
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'civic-line-test-uploads', Key: 'uploads/pending/a', Range: 'bytes=0-15' });
  });

  it('moves with a server-side copy (detected type, SSE) and then deletes the pending object', async () => {
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    await store().move('uploads/pending/01ABC', 'uploads/01FORM/01ABC', 'video/mp4');
    expect(s3.commandCalls(CopyObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'civic-line-test-uploads',
      Key: 'uploads/01FORM/01ABC',
      CopySource: 'civic-line-test-uploads/uploads/pending/01ABC',
      ContentType: 'video/mp4',
      MetadataDirective: 'REPLACE',
      ServerSideEncryption: 'AES256',
    });
    expect(s3.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: 'civic-line-test-uploads', Key: 'uploads/pending/01ABC' });
  });

  it('presigns a short-lived GET whose disposition keeps a Japanese file name', async () => {
    const url = new URL(await store().downloadUrl('exports/01F/x.csv', 'アンケート.csv', 300));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="_____.csv"; filename*=UTF-8''${encodeURIComponent('アンケート.csv')}`,
    );
    expect(url.searchParams.get('response-cache-control')).toBe('private, no-store');
    const inline = new URL(await store().downloadUrl('uploads/01F/01U', '01U', 300, 'inline'));
    expect(inline.searchParams.get('response-content-disposition')).toMatch(/^inline; filename="01U"/);
  });
});
