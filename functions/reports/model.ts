/**
 * Citizen reports (通報, the city's specification §4⑽): a damaged road, park, river or water pipe
 * reported from LINE — category, photos, place, description, optionally a name and phone with
 * consent — followed up by staff (受付 → 対応中 → 完了, or 対応できません / 重複) until the citizen
 * hears it is fixed. The citizen's side is a scenario (functions/scenarios) whose answers become a
 * report at its 「通報として受け付ける」 edge; staff extend that scenario like any other.
 */
import type { Lang } from '../shared/languages';
import type { Localized } from '../scenarios/model';
import type { ReportStatus } from './labels';

export type { ReportStatus } from './labels';

/** Text in the city's languages: Japanese always (the scenarios' type: a category's name is a choice's label). */
export type { Localized } from '../scenarios/model';

export interface ReportCategory {
  /** Stable (stored on reports, the staff accounts' limits name it): a–z, 0–9, _ -. */
  id: string;
  label: Localized;
  /** The department a new report of this category is assigned to. */
  department?: string;
  /** No longer offered to citizens; its reports keep it. */
  retired?: boolean;
}

export interface ReportPlace {
  latitude: number;
  longitude: number;
  address?: string;
  /** Outside the city's boundary (settings): flagged for staff, never refused. */
  outside?: boolean;
}

/** pending: at LINE; received: our private raw copy (with EXIF: never served); stored: re-encoded without EXIF; missing: with the reason. */
export type PhotoStatus = 'pending' | 'received' | 'stored' | 'missing';

export interface ReportPhoto {
  /** LINE's message id (citizen's photo) or a ULID (staff's repair photo). */
  photoId: string;
  from: 'citizen' | 'staff';
  status: PhotoStatus;
  /** The raw copy as LINE gave it (received, until it is re-encoded; never served). */
  rawKey?: string;
  /** Stored re-encoded without EXIF (the blob store, private). */
  blobKey?: string;
  previewKey?: string;
  contentType?: 'image/jpeg' | 'image/png';
  width?: number;
  height?: number;
  /** Why it is missing (plain Japanese for staff). */
  reason?: string;
  addedAt: string;
}

export interface ReportContact {
  name?: string;
  phone?: string;
  consentedAt: string;
}

export type ReportEventKind = 'created' | 'status' | 'assigned' | 'note' | 'citizen_comment' | 'citizen_photo' | 'reopened' | 'merged' | 'photo_missing';

/** The report's history (status changes, notes, the citizen's additions), oldest first. */
export interface ReportEvent {
  at: string;
  kind: ReportEventKind;
  status?: ReportStatus;
  /** Staff's login ID and name (absent: the citizen or the system). */
  by?: string;
  byName?: string;
  /** A note, the citizen's comment, the reason of 対応できません, the message sent to the citizen. */
  text?: string;
  department?: string;
  /** A status change's message to the citizen: sent, failed or not sent (the citizen has blocked). */
  notified?: 'sent' | 'failed' | 'skipped';
  photoId?: string;
  /** 重複 / merged: the other report's receipt number. */
  other?: string;
  /** The citizen's LINE message (or postback event) that made it: a redelivery changes nothing. */
  messageId?: string;
  /** A status message's repair photo (an uploaded image, POST /media: /media/<id>/preview). */
  mediaId?: string;
}

export interface Report {
  /** The scenario run it came from (one report per run: a retried event finds it). A ULID: sorts by time. */
  reportId: string;
  /** What the citizen is told: 2026-000123 (per year). */
  receiptNo: string;
  userId: string;
  lang: Lang;
  displayName?: string;
  category: string;
  description: string;
  place?: ReportPlace;
  /** A district name found in the address (settings' list), or set by staff. */
  district?: string;
  photos: ReportPhoto[];
  contact?: ReportContact;
  status: ReportStatus;
  /** 対応できません: why (sent to the citizen). */
  reason?: string;
  /** 重複: the report this one duplicates. */
  duplicateOf?: { reportId: string; receiptNo: string };
  department?: string;
  /** Other answers of the scenario (staff added steps), as text, by their name. */
  extra: Record<string, string>;
  scenarioId: string;
  createdAt: string;
  updatedAt: string;
  /** Newest status change (the list's "since"). */
  statusAt: string;
  history: ReportEvent[];
  /** Bumped by every change; a staff change names the revision it read. */
  rev: number;
}

export interface ReportSettings {
  categories: ReportCategory[];
  departments: string[];
  /** District names looked for in a report's address (the first found). */
  districts: string[];
  /** Reports of one category within this distance and time are shown as possible duplicates. */
  duplicate: { meters: number; hours: number };
  /** The city's boundary (GeoJSON Polygon or MultiPolygon coordinates, [lng, lat]); places outside are flagged. */
  boundary: GeoPolygon | null;
  /** The console's map tiles (地理院タイル by default) and their attribution. */
  tiles: { url: string; attribution: string };
  rev: number;
  updatedAt?: string;
  updatedBy?: string;
}

export type GeoPolygon = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Answer names (saveAs) of the report scenario that fill a report's fields; any other answer goes to `extra`. */
export const REPORT_ANSWERS = {
  category: 'category',
  photos: 'photos',
  place: 'place',
  description: 'description',
  name: 'name',
  phone: 'phone',
  consent: 'consent',
} as const;

export const REPORT_LIMITS = {
  descriptionChars: 1_000,
  photoBytes: 10 * 1024 * 1024,
  /** Photos on a report (the citizen's and staff's). */
  photos: 20,
  history: 300,
  noteChars: 2_000,
  messageChars: 1_000,
  reasonChars: 500,
  nameChars: 100,
  phoneChars: 20,
  categories: 30,
  departments: 50,
  districts: 200,
  boundaryBytes: 512 * 1024,
  /** One list request (a page of the list). */
  pageSize: 100,
  /** Points the map reads in one request. */
  mapPoints: 20_000,
  /** Citizen's photo job: attempts before a photo LINE keeps failing is marked missing. */
  photoAttempts: 4,
} as const;
