/** One message between the account and a friend, in either direction. */
export interface ConversationEntry {
  userId: string;
  /** Unique per entry: LINE message id for inbound, a ULID for outbound. */
  id: string;
  at: Date;
  direction: 'in' | 'out';
  /** Who wrote an outbound message. */
  by?: 'bot' | 'staff' | 'delivery';
  /** `follow` / `unfollow`: the friend added (or unblocked) / blocked the account — their status history, in the same timeline. */
  kind: 'text' | 'image' | 'video' | 'audio' | 'file' | 'location' | 'sticker' | 'postback' | 'messages' | 'follow' | 'unfollow';
  text?: string;
  postbackData?: string;
  location?: { title?: string; address?: string; latitude: number; longitude: number };
  /** LINE message id whose content (image, video …) can be fetched. */
  contentMessageId?: string;
  /** Outbound LINE messages as sent. */
  messages?: unknown[];
  webhookEventId?: string;
  /** A delivery the friend got (its content is the delivery's: the friend's page shows it in their language). */
  deliveryId?: string;
}

/** Port: the 1:1 conversation history (kept when a friend blocks). */
export interface ConversationLog {
  append(entry: ConversationEntry): Promise<void>;
  list(userId: string, limit: number): Promise<ConversationEntry[]>;
}

/** Port: the history in pages for staff (a friend's page); the cursor is sealed (a foreign or edited one: InvalidCursorError). */
export interface ConversationPages {
  /** Newest first. */
  page(userId: string, query: { limit: number; cursor?: string }): Promise<{ items: ConversationEntry[]; cursor?: string }>;
}
