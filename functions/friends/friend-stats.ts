/** The friends' day counters (followed, blocked per Japan day; functions/friends/keys.ts), as the dashboard reads them. */
export interface FriendDay {
  /** yyyy-mm-dd, Asia/Tokyo. */
  date: string;
  added: number;
  blocked: number;
}

/** Port: every day counter, oldest first (adapters/aws/friend-stats-reader.ts). */
export interface FriendStatsReader {
  allDays(): Promise<FriendDay[]>;
}
