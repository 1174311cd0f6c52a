/**
 * Chunks: the unit of sending. A chunk holds ≤ 500 friends of one language variant and carries a
 * retry key derived from (deliveryId, index), so every retry of the same chunk — by the sender,
 * by SQS redelivery, by "resend the failed part" — is the same request to LINE, which accepts a
 * key only once (24 h): a friend never receives a delivery twice.
 */
import { retryKey } from '../shared/retry-key';
import { MULTICAST_MAX_RECIPIENTS, type AudienceFriend, type Chunk, type Lang, type SendMessage } from './model';

/**
 * Chunks the planner writes in one request at most (DynamoDB: one transaction of conditional puts,
 * ≤ 100 items and 4 MB; a push chunk with its names is ≤ ~50 KB).
 */
export const MAX_CHUNKS_PER_WRITE = 25;

/** The X-Line-Retry-Key of a multicast chunk: the same on every attempt. */
export function chunkRetryKey(deliveryId: string, index: number): string {
  return retryKey(deliveryId, index);
}

/** The X-Line-Retry-Key of one push in a push-mode chunk (one per friend). */
export function pushRetryKey(deliveryId: string, index: number, userId: string): string {
  return retryKey(deliveryId, index, userId);
}

/** The fewest LINE requests that reach `recipients` friends (multicast: ≤ `size` per request). */
export function minimumRequests(recipients: number, size = MULTICAST_MAX_RECIPIENTS): number {
  if (recipients <= 0) return 0;
  return Math.ceil(recipients / size);
}

export interface ChunkBuilderOptions {
  deliveryId: string;
  mode: 'multicast' | 'push';
  /** The index of the first chunk this builder emits (a resumed planner continues after the existing ones). */
  firstIndex?: number;
  /** Recipients per chunk (default and maximum: LINE's 500 per multicast). */
  size?: number;
}

interface Buffered {
  userIds: string[];
  names: string[];
}

/**
 * Groups friends into chunks per language as they stream in. `add` returns the chunks it
 * completed (so the planner can write and enqueue them at once); `flush` returns the rest.
 * Indexes are consecutive from `firstIndex` in emission order.
 */
export class ChunkBuilder {
  private readonly deliveryId: string;
  private readonly mode: 'multicast' | 'push';
  private readonly size: number;
  private next: number;
  private readonly buffers = new Map<Lang, Buffered>();

  constructor(opts: ChunkBuilderOptions) {
    const size = opts.size ?? MULTICAST_MAX_RECIPIENTS;
    if (!Number.isInteger(size) || size < 1 || size > MULTICAST_MAX_RECIPIENTS) {
      throw new RangeError(`Chunk size must be 1..${MULTICAST_MAX_RECIPIENTS}, got ${size}`);
    }
    const firstIndex = opts.firstIndex ?? 0;
    if (!Number.isInteger(firstIndex) || firstIndex < 0) throw new RangeError(`firstIndex must be a non-negative integer, got ${firstIndex}`);
    this.deliveryId = opts.deliveryId;
    this.mode = opts.mode;
    this.size = size;
    this.next = firstIndex;
  }

  /** The index the next emitted chunk will get (= firstIndex + chunks emitted so far). */
  get nextIndex(): number {
    return this.next;
  }

  /** Friends buffered and not yet in a chunk. */
  get pending(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.userIds.length;
    return n;
  }

  add(friend: AudienceFriend, lang: Lang): Chunk[] {
    let buffer = this.buffers.get(lang);
    if (!buffer) {
      buffer = { userIds: [], names: [] };
      this.buffers.set(lang, buffer);
    }
    buffer.userIds.push(friend.userId);
    buffer.names.push(friend.displayName);
    if (buffer.userIds.length < this.size) return [];
    // Keep the language's slot (flush order stays the order languages were first seen).
    this.buffers.set(lang, { userIds: [], names: [] });
    return [this.emit(lang, buffer)];
  }

  /** The partly filled chunks, in the order their languages were first seen. */
  flush(): Chunk[] {
    const out: Chunk[] = [];
    for (const [lang, buffer] of this.buffers) {
      if (buffer.userIds.length > 0) out.push(this.emit(lang, buffer));
    }
    this.buffers.clear();
    return out;
  }

  private emit(lang: Lang, buffer: Buffered): Chunk {
    const index = this.next++;
    const chunk: Chunk = {
      deliveryId: this.deliveryId,
      index,
      lang,
      mode: this.mode,
      recipients: buffer.userIds,
      retryKey: chunkRetryKey(this.deliveryId, index),
      status: 'pending',
      attempts: 0,
    };
    if (this.mode === 'push') chunk.names = buffer.names;
    return chunk;
  }
}

/**
 * The send message for a chunk the planner just wrote: multicast and broadcast chunks travel in it
 * (a first-received message is sent without reading the table); push chunks are read by the
 * sender (their names and progress live in the chunk item).
 */
export function sendMessageOf(chunk: Chunk): SendMessage {
  const { deliveryId, index } = chunk;
  if (chunk.mode === 'push') return { deliveryId, index };
  return { deliveryId, index, chunk: { lang: chunk.lang, mode: chunk.mode, retryKey: chunk.retryKey, to: chunk.recipients.join('\n') } };
}
