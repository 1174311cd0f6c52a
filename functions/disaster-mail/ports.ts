/** What the disaster-mail bridge needs from outside (adapters in functions/adapters/). */
import type { BridgeSettings } from './model';

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
