/** One message between the account and a friend, in either direction. */
export interface ConversationEntry {
  userId: string;
  /** Unique per entry: LINE message id for inbound, a ULID for outbound. */
  id: string;
  at: Date;
  direction: 'in' | 'out';
  /** Who wrote an outbound message. */
  by?: 'bot' | 'staff' | 'delivery';
  /** A staff member's message or note: who (login ID and name at the time). */
  staffId?: string;
  staffName?: string;
  /** A staff message's progress: `sending` until LINE accepted it, `failed` with the reason (sent again with the same client id). */
  sendStatus?: 'sending' | 'sent' | 'failed';
  sendError?: string;
  /** How LINE got a staff message: the reply token (free) or a push. */
  via?: 'reply' | 'push';
  /** `chat` entries: the 1:1 chat opened (the citizen asked; `outsideHours`), was closed or reopened by staff. */
  chatEvent?: 'requested' | 'closed' | 'reopened' | 'blocked';
  outsideHours?: boolean;
  /**
   * `follow` / `unfollow`: the friend added (or unblocked) / blocked the account — their status history, in the same timeline.
   * `note`: a staff note in a 1:1 chat (`text`; never sent, staff only). `chat`: a 1:1 chat event (`chatEvent`).
   */
  kind: 'text' | 'image' | 'video' | 'audio' | 'file' | 'location' | 'sticker' | 'postback' | 'messages' | 'follow' | 'unfollow' | 'note' | 'chat';
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
