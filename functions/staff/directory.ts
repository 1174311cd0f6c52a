/**
 * Display names for the login IDs an answer of the admin API carries (createdBy, updatedBy, …):
 * the console names people, not accounts. Shared by the deliveries and forms routes.
 */
import type { StaffRepository } from '../staff/staff';

/** The fields that name a staff member by login ID; each gets a `<field>Name` with the display name. */
export const PERSON_FIELDS = ['createdBy', 'updatedBy', 'requestedBy', 'approvedBy', 'sentBy'] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

/**
 * An answer as `decorate` returns it: next to each person field (`createdBy`, …) of its objects a
 * `<field>Name` with the display name (the console's types of named answers are this).
 */
export type WithNames<T> = T extends readonly (infer U)[]
  ? WithNames<U>[]
  : T extends object
    ? { [K in keyof T]: WithNames<T[K]> } & { [K in keyof T as K extends PersonField ? `${K}Name` : never]?: string }
    : T;

/** How long display names are kept per instance (a rename shows within this). */
const NAMES_TTL_MS = 30_000;

/**
 * Display names for login IDs (staff accounts are few: one read of all of them, kept briefly).
 * `system` is the platform itself; an ID without an account (deleted) stays as it is.
 */
export function staffDirectory(staff: Pick<StaffRepository, 'list'> | undefined, now: () => number = Date.now) {
  let cached: { at: number; names: Promise<Map<string, string>> } | undefined;
  const names = () => {
    if (!staff) return Promise.resolve(new Map<string, string>());
    if (!cached || now() - cached.at > NAMES_TTL_MS) {
      const read = staff.list().then((accounts) => new Map(accounts.map((a) => [a.loginId, a.displayName])));
      cached = { at: now(), names: read };
      read.catch(() => (cached = undefined));
    }
    return cached.names;
  };
  const nameOf = (map: Map<string, string>, loginId: string) => map.get(loginId) ?? (loginId === 'system' ? 'システム' : loginId);
  return {
    /** loginId → display name, for the CSV. */
    async map(): Promise<Record<string, string>> {
      return Object.fromEntries(await names());
    },
    /**
     * Adds `createdByName`, `sentByName`, … next to each person field of the objects in an answer
     * (deliveries, segments, recurrings, and lists of them), so the console names people, not accounts.
     */
    async decorate<T>(value: T): Promise<WithNames<T>> {
      const named = (o: Record<string, unknown>) => PERSON_FIELDS.some((f) => typeof o[f] === 'string');
      const hasPeople = (v: unknown, depth: number): boolean =>
        depth <= 3 &&
        typeof v === 'object' &&
        v !== null &&
        (Array.isArray(v)
          ? v.some((x) => hasPeople(x, depth + 1))
          : named(v as Record<string, unknown>) || Object.values(v).some((x) => hasPeople(x, depth + 1)));
      if (!hasPeople(value, 0)) return value as WithNames<T>;
      const map = await names().catch(() => new Map<string, string>());
      // A copy: answers may hold shared values (the built-in 全員 segment), never changed in place.
      const copy = (v: unknown, depth: number): unknown => {
        if (depth > 3 || typeof v !== 'object' || v === null) return v;
        if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
        const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x, depth + 1)]));
        for (const f of PERSON_FIELDS) if (typeof o[f] === 'string') o[`${f}Name`] = nameOf(map, o[f] as string);
        return o;
      };
      return copy(value, 0) as WithNames<T>;
    },
  };
}
