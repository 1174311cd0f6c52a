/** What the disaster-mail bridge needs from outside (adapters in functions/adapters/). */
import type { BridgeSettings, OtherLang } from './model';
import type { ReceivedMailDetail } from './views';

export interface StoredBridgeSettings {
  settings: BridgeSettings;
  /** 0 before the first save; every save adds 1 (optimistic concurrency between staff). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export interface BridgeSettingsRepository {
  /** The saved settings, or null before the first save. */
  get(): Promise<StoredBridgeSettings | null>;
  /** Saves over `expectedVersion` (0: none saved yet); 'conflict' when someone saved in between. */
  save(next: StoredBridgeSettings, expectedVersion: number): Promise<'saved' | 'conflict'>;
}

/** A received mail as stored (the log's line, with what the bridge needs to act on it later). */
export interface ReceivedMail extends Omit<ReceivedMailDetail, 'delivery'> {
  /** Where the raw mail is kept (the mail bucket in AWS, the uploads folder locally). */
  storageKey: string;
  deliveryId?: string;
  /** Held: the standard sentences put before the Japanese text, per language (approving an edited text keeps them). */
  phrases?: Partial<Record<OtherLang, string>>;
}

/** A duplicate key a mail holds until `expiresAtSec` (epoch seconds). */
export interface MailKeyClaim {
  kind: 'messageId' | 'content';
  value: string;
  expiresAtSec: number;
}

export type ClaimResult = { claimed: true } | { claimed: false; holder: { mailId: string; receivedAt: string; by: 'messageId' | 'content' } };

export interface ReceivedMailRepository {
  get(mailId: string): Promise<ReceivedMail | null>;
  /** Records a processed mail once: false when it was recorded before (a redelivered message). With `held`, its held marker in the same write. */
  record(mail: ReceivedMail, options?: { held?: boolean }): Promise<boolean>;
  /**
   * Claims the keys for `mailId` (one transaction): a key nobody holds, one whose window passed,
   * or one this mail already holds (a retry) is taken; else the mail that holds it.
   */
  claimKeys(mailId: string, receivedAt: string, keys: MailKeyClaim[], nowSec: number): Promise<ClaimResult>;
  /** Who holds any of the keys now (the dry run: nothing written). */
  peekKeys(keys: MailKeyClaim[], nowSec: number): Promise<ClaimResult>;
  /** Newest first; the cursor is sealed. */
  list(query: { limit: number; cursor?: string }): Promise<{ items: ReceivedMail[]; cursor?: string }>;
  /** Mails with a held marker. */
  heldIds(): Promise<string[]>;
  /** Held → handled: the decision and hold updated only while the mail is still held; its marker removed. False when it was no longer held. */
  resolveHold(mailId: string, fields: Pick<ReceivedMail, 'decision' | 'reason' | 'hold'> & { content?: ReceivedMail['content'] }): Promise<boolean>;
  /** Removes a held marker whose delivery went out by itself (its hold time passed). */
  dropHeldMarker(mailId: string): Promise<void>;
}

/** What the intake queue carries: a mail kept at `storageKey` (local SMTP, the test button) or SES's notification (AWS). */
export interface StoredMailMessage {
  type: 'stored';
  mailId: string;
  receivedAt: string;
  storageKey: string;
  source: 'mail' | 'test';
  /** The test button: send to this segment only, whatever the routes say. */
  testSegmentId?: string;
}
