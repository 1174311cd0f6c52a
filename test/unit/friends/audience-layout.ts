/**
 * An in-memory model of one audience bucket growing as the writers grow it
 * (functions/adapters/aws/audience-index.ts): a friend's line goes to the item holding its page
 * hash; a write that would take that item past its limit (the bucket item's, then a page's) first
 * splits it with the real `splitAudienceLines`. Sizes are tracked per line (audienceLineBytes) so
 * millions of friends lay out in seconds; `items()` packs the result with the real
 * `packAudienceLines`. Used by the capacity test (5 million friends) and by the planner-scale
 * benchmark (bench/planner-scale.ts) to lay out a synthetic city the way DynamoDB would hold it.
 */
import {
  AUDIENCE_BUCKET_MAX_BYTES,
  AUDIENCE_PAGE_MAX_BYTES,
  AUDIENCE_SPLIT_TARGET,
  audienceLeafOf,
  audienceLineBytes,
  audiencePageHash,
  encodeAudienceDirectory,
  packAudienceLines,
  splitAudienceLines,
  type AudienceLines,
} from '../../../functions/friends/audience-index';

type Leaf = AudienceLines & { bytes: number };

export class AudienceBucketModel {
  /** '' while the bucket item holds the lines itself; page bits once it split. */
  private readonly leaves = new Map<string, Leaf>([['', { entries: new Map(), names: new Map(), bytes: 0 }]]);
  splits = 0;

  constructor(
    readonly bucket: number,
    private readonly limits = { bucketBytes: AUDIENCE_BUCKET_MAX_BYTES, pageBytes: AUDIENCE_PAGE_MAX_BYTES },
  ) {}

  get split(): boolean {
    return !this.leaves.has('');
  }

  private directory?: Set<string>;

  private leafOf(hash: number): string {
    if (!this.split) return '';
    this.directory ??= new Set(this.leaves.keys());
    return audienceLeafOf(this.directory, hash)!;
  }

  /** Adds a friend's lines (`entry`: its `e` value; `name`: its escaped `n` value), splitting first as a writer would. */
  add(userId: string, entry: string, name: string | undefined): void {
    const hash = audiencePageHash(userId);
    const bytes = audienceLineBytes(userId, entry, name);
    for (;;) {
      const bits = this.leafOf(hash);
      const leaf = this.leaves.get(bits)!;
      const limit = bits === '' ? this.limits.bucketBytes : this.limits.pageBytes;
      if (leaf.bytes + bytes <= limit) {
        leaf.entries.set(userId, entry);
        if (name !== undefined) leaf.names.set(userId, name);
        leaf.bytes += bytes;
        return;
      }
      this.leaves.delete(bits);
      this.directory = undefined;
      for (const [child, lines] of splitAudienceLines(leaf, bits, this.limits.pageBytes * AUDIENCE_SPLIT_TARGET)) {
        let childBytes = 0;
        for (const [u, e] of lines.entries) childBytes += audienceLineBytes(u, e, lines.names.get(u));
        this.leaves.set(child, { ...lines, bytes: childBytes });
      }
      this.splits++;
    }
  }

  /** The items DynamoDB would hold: the bucket item (its lines, or the directory) and the pages, packed. */
  items(): { leaf: string; e: string; n: string; bytes: number }[] {
    if (!this.split) {
      const packed = packAudienceLines(this.leaves.get('')!);
      return [{ leaf: '', ...packed }];
    }
    const directory = encodeAudienceDirectory(this.bucket, this.leaves.keys());
    return [
      { leaf: '', e: directory, n: '', bytes: Buffer.byteLength(directory) },
      ...[...this.leaves].map(([leaf, lines]) => ({ leaf, ...packAudienceLines(lines) })),
    ];
  }
}

/** Deterministic friends: the same city every run (xorshift32). */
export function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
export const hex8 = (n: number) => n.toString(16).padStart(8, '0');
