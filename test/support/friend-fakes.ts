/** In-memory fakes of the friends list's ports (functions/friends/directory.ts, conversations/content.ts), for unit tests. */
import type { DirectoryPage, FriendDirectory, FriendRow } from '../../functions/friends/directory';
import type { MessageContentReader } from '../../functions/conversations/content';
import { InvalidCursorError } from '../../functions/adapters/aws/cursor';

/** Friends newest first by followedAt; the cursor is the index read so far plus the filter (unsealed: a fake, but it checks the filter as the sealed one does). */
export class MemoryFriendDirectory implements FriendDirectory {
  rows: FriendRow[] = [];
  async get(userId: string) {
    return this.rows.find((r) => r.userId === userId) ?? null;
  }
  async page(query: { limit: number; budget: number; cursor?: string; filterKey: string }, accept: (f: FriendRow) => boolean): Promise<DirectoryPage> {
    const sorted = [...this.rows].sort((a, b) => ((a.followedAt ?? '') < (b.followedAt ?? '') ? 1 : -1));
    let from = 0;
    if (query.cursor) {
      const [at, filter] = JSON.parse(query.cursor) as [number, string];
      if (filter !== query.filterKey) throw new InvalidCursorError();
      from = at;
    }
    const items: FriendRow[] = [];
    let i = from;
    for (; i < sorted.length && i - from < query.budget && items.length < query.limit; i++) if (accept(sorted[i]!)) items.push(sorted[i]!);
    return { items, scanned: i - from, ...(i < sorted.length ? { cursor: JSON.stringify([i, query.filterKey]) } : {}) };
  }
}

export class MemoryContent implements MessageContentReader {
  files = new Map<string, { contentType: string; bytes: Buffer }>();
  async get(messageId: string) {
    return this.files.get(messageId) ?? null;
  }
}
