/** In-memory fakes of rich menus' ports (functions/richmenus/ports.ts) and a menu image of LINE's size. */
import { deflateSync } from 'node:zlib';
import {
  DEFAULT_RICH_MENU_SETTINGS,
  DISASTER_OFF,
  type DisasterState,
  type LinkSyncStatus,
  type RichMenu,
  type RichMenuSettings,
} from '../../functions/richmenus/model';
import type {
  DefaultPointer,
  LineRichMenu,
  MenuWrite,
  RichMenuLinkStore,
  RichMenuPlatform,
  RichMenuRepository,
  RichMenuSettingsStore,
} from '../../functions/richmenus/ports';

export class MemoryRichMenus implements RichMenuRepository {
  menus = new Map<string, RichMenu>();
  pointer: DefaultPointer | null = null;
  /** Runs once right before the next commit (a concurrent publish, in a test). */
  beforeCommit?: () => Promise<unknown>;
  async defaultPointer() {
    return this.pointer ? { ...this.pointer } : null;
  }
  private fits(m: RichMenu) {
    return this.menus.get(m.menuId)?.version === m.version - 1;
  }
  async commitPublish(next: RichMenu, lineRichMenuId: string, expected: number | null, demoted: RichMenu[]): Promise<'done' | 'conflict'> {
    const hook = this.beforeCommit;
    this.beforeCommit = undefined;
    await hook?.();
    if ((this.pointer?.version ?? null) !== expected || !this.fits(next) || !demoted.every((m) => this.fits(m))) return 'conflict';
    for (const m of [next, ...demoted]) this.menus.set(m.menuId, structuredClone(m));
    this.pointer = { menuId: next.menuId, lineRichMenuId, version: (expected ?? 0) + 1 };
    return 'done';
  }
  async commitUnpublish(next: RichMenu, expected: number): Promise<'done' | 'conflict'> {
    if (this.pointer?.version !== expected || !this.fits(next)) return 'conflict';
    this.menus.set(next.menuId, structuredClone(next));
    this.pointer = null;
    return 'done';
  }
  async get(menuId: string) {
    const m = this.menus.get(menuId);
    return m ? structuredClone(m) : null;
  }
  async list() {
    return [...this.menus.values()].map((m) => structuredClone(m));
  }
  async create(menu: RichMenu) {
    if (this.menus.has(menu.menuId)) throw new Error('exists');
    this.menus.set(menu.menuId, structuredClone(menu));
  }
  async replace(next: RichMenu): Promise<MenuWrite> {
    const cur = this.menus.get(next.menuId);
    if (!cur) return 'missing';
    if (cur.version !== next.version - 1) return 'conflict';
    this.menus.set(next.menuId, structuredClone(next));
    return 'done';
  }
  async remove(menuId: string, expectedVersion: number): Promise<MenuWrite> {
    const cur = this.menus.get(menuId);
    if (!cur) return 'missing';
    if (cur.version !== expectedVersion) return 'conflict';
    this.menus.delete(menuId);
    return 'done';
  }
}

/** LINE's rich menus as the fake keeps them: made, with image, the default, deleted. */
export class FakeRichMenuPlatform implements RichMenuPlatform {
  made = new Map<string, LineRichMenu & { image?: { bytes: number; contentType: string } }>();
  defaultId?: string;
  failNext?: 'upload' | 'setDefault';
  private seq = 0;
  async create(menu: LineRichMenu) {
    const id = `richmenu-${String(++this.seq).padStart(32, '0')}`;
    this.made.set(id, structuredClone(menu));
    return id;
  }
  async uploadImage(id: string, bytes: Buffer, contentType: string) {
    if (this.failNext === 'upload') {
      this.failNext = undefined;
      throw new Error('LINE answered 500');
    }
    this.made.get(id)!.image = { bytes: bytes.length, contentType };
  }
  async setDefault(id: string) {
    if (this.failNext === 'setDefault') {
      this.failNext = undefined;
      throw new Error('LINE answered 500');
    }
    if (!this.made.get(id)?.image) throw new Error('LINE: a rich menu without an image cannot be the default');
    this.defaultId = id;
  }
  async cancelDefault() {
    this.defaultId = undefined;
  }
  async remove(id: string) {
    this.made.delete(id);
    if (this.defaultId === id) this.defaultId = undefined;
    for (const [u, l] of this.links) if (l === id) this.links.delete(u);
  }
  /** Per-user links LINE holds, and the bulk calls made (user IDs per call). */
  links = new Map<string, string>();
  bulkCalls: { kind: 'link' | 'unlink'; count: number }[] = [];
  failLinks = 0;
  async linkUsers(id: string, userIds: string[]) {
    if (userIds.length < 1 || userIds.length > 500) throw new Error('LINE: userIds must be 1..500');
    if (!this.made.get(id)?.image) throw new Error('LINE: no such rich menu');
    if (this.failLinks > 0) {
      this.failLinks--;
      throw new Error('LINE answered 500');
    }
    this.bulkCalls.push({ kind: 'link', count: userIds.length });
    for (const u of userIds) this.links.set(u, id);
  }
  async unlinkUsers(userIds: string[]) {
    if (userIds.length < 1 || userIds.length > 500) throw new Error('LINE: userIds must be 1..500');
    this.bulkCalls.push({ kind: 'unlink', count: userIds.length });
    for (const u of userIds) this.links.delete(u);
  }
  singleCalls = 0;
  async linkUser(userId: string, id: string) {
    if (!this.made.get(id)?.image) throw new Error('LINE: no such rich menu');
    this.singleCalls++;
    this.links.set(userId, id);
  }
  async unlinkUser(userId: string) {
    this.singleCalls++;
    this.links.delete(userId);
  }
  /** The menu a friend sees on LINE: their link, else the default. */
  shown(userId: string): string | undefined {
    return this.links.get(userId) ?? this.defaultId;
  }
}

/** Settings, disaster mode, sync status, creations and retired menus in memory. */
export class MemoryMenuSettings implements RichMenuSettingsStore {
  current: RichMenuSettings = structuredClone(DEFAULT_RICH_MENU_SETTINGS);
  state: DisasterState = { ...DISASTER_OFF };
  status: LinkSyncStatus = {};
  creations: number[] = [];
  retiredIds = new Map<string, string>();
  async settings() {
    return structuredClone(this.current);
  }
  async saveSettings(next: RichMenuSettings) {
    if (next.version !== this.current.version + 1) return 'conflict' as const;
    this.current = structuredClone(next);
    return 'done' as const;
  }
  async disaster() {
    return structuredClone(this.state);
  }
  async saveDisaster(next: DisasterState) {
    if (next.version !== this.state.version + 1) return 'conflict' as const;
    this.state = structuredClone(next);
    return 'done' as const;
  }
  async syncStatus() {
    return { ...this.status };
  }
  async noteSync(fields: LinkSyncStatus) {
    this.status = { ...this.status, ...fields };
  }
  lease?: { owner: string; until: number };
  async claimSync(owner: string, nowMs: number, leaseMs: number) {
    if (this.lease && this.lease.until >= nowMs && this.lease.owner !== owner) return false;
    this.lease = { owner, until: nowMs + leaseMs };
    return true;
  }
  async releaseSync(owner: string) {
    if (this.lease?.owner === owner) this.lease = undefined;
  }
  async takeCreation(nowMs: number, limit: number) {
    this.creations = this.creations.filter((t) => t > nowMs - 3_600_000);
    if (this.creations.length >= limit) return { ok: false as const, freeAtMs: this.creations[0]! + 3_600_000 };
    this.creations.push(nowMs);
    return { ok: true as const };
  }
  async retire(id: string, at: string) {
    this.retiredIds.set(id, at);
  }
  async retired() {
    return [...this.retiredIds].map(([lineRichMenuId, at]) => ({ lineRichMenuId, at }));
  }
  async forget(id: string) {
    this.retiredIds.delete(id);
  }
}

/** Recorded per-user links in memory. */
export class MemoryLinkStore implements RichMenuLinkStore {
  map = new Map<string, string>();
  async all() {
    return new Map(this.map);
  }
  async get(userId: string) {
    return this.map.get(userId) ?? null;
  }
  async apply(changes: Map<string, string | null>) {
    for (const [u, id] of changes) {
      if (id) this.map.set(u, id);
      else this.map.delete(u);
    }
  }
}

/** CRC-32 of PNG chunks. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid one-colour PNG of the given size, made with zlib (fast in any test runner; LINE checks a menu image's exact size). */
export function menuImage(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([0x2e, 0x7d, 0x32], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
