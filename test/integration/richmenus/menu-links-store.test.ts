/**
 * The stores behind menus per segment and disaster mode, against DynamoDB Local (a fresh table per
 * test where a singleton item would be shared): settings and disaster mode saved only over the
 * version read, the link job's status merged field by field, LINE's hourly creations counted in a
 * sliding hour that racing callers never pass, retired LINE menus; the per-user links packed per
 * bucket that racing writers never lose; and one friend as segment rules see them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../../local/dynamodb-local';
import { ensureAudienceIndex } from '../../../functions/adapters/aws/audience-index';
import { DynamoFriendSegmentSource } from '../../../functions/adapters/aws/friend-segment-source';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import { DynamoResponseStore } from '../../../functions/adapters/aws/response-store';
import { DynamoRichMenuLinkStore } from '../../../functions/adapters/aws/richmenu-link-store';
import { DynamoRichMenuSettingsStore } from '../../../functions/adapters/aws/richmenu-settings-store';
import { audienceBucketOf } from '../../../functions/friends/audience-index';
import { richMenuCreationsKey, richMenuLinksKey } from '../../../functions/richmenus/keys';
import { DEFAULT_RICH_MENU_SETTINGS, type DisasterState, type RichMenuSettings } from '../../../functions/richmenus/model';
import { it_env, testDb } from '../../support/integration';

jest.setTimeout(60_000);

const db = testDb();
const HOUR = 3_600_000;
const base = Date.parse('2026-12-01T00:00:00Z');
const newUser = () => `U${randomBytes(16).toString('hex')}`;

/** A table of its own: the settings, disaster, sync and creations items are one per table. */
async function freshTable(prefix: string): Promise<string> {
  const table = `${prefix}-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, table);
  return table;
}

async function item(table: string, key: { PK: string; SK: string }) {
  return (await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
}

/** `count` user IDs that all fall in one audience bucket (so their writes share one item). */
function usersInOneBucket(count: number): { bucket: number; users: string[] } {
  const bucket = audienceBucketOf(newUser());
  const users: string[] = [];
  while (users.length < count) {
    const u = newUser();
    if (audienceBucketOf(u) === bucket) users.push(u);
  }
  return { bucket, users };
}

describe('DynamoRichMenuSettingsStore', () => {
  it('gives the defaults before anything is saved, and saves settings and disaster mode only over the version read', async () => {
    const store = new DynamoRichMenuSettingsStore(db, await freshTable('rm-settings'));
    const defaults = await store.settings();
    expect(defaults).toEqual(DEFAULT_RICH_MENU_SETTINGS);
    // A copy: a caller changing it changes neither the constant nor the next read.
    defaults.segmentMenus.push({ segmentId: 's', menuId: 'm' });
    defaults.disaster.onKinds.length = 0;
    expect(await store.settings()).toEqual(DEFAULT_RICH_MENU_SETTINGS);
    expect(DEFAULT_RICH_MENU_SETTINGS.segmentMenus).toEqual([]);
    expect(await store.disaster()).toEqual({ active: false, kinds: [], version: 0 });

    const first: RichMenuSettings = {
      segmentMenus: [
        { segmentId: 'seg-minami', menuId: 'menu-minami' },
        { segmentId: 'seg-english', menuId: 'menu-en' },
      ],
      disaster: { menuId: 'menu-disaster', onKinds: ['evacuation_order', 'landslide_alert'], offWhenLifted: false },
      version: 1,
      updatedAt: '2026-12-01T00:00:00.000Z',
      updatedBy: 'kikaku',
    };
    // Skipping a version is refused while nothing is stored; the first save is version 1.
    expect(await store.saveSettings({ ...first, version: 2 })).toBe('conflict');
    expect(await store.saveSettings(first)).toBe('done');
    // A second editor who also read nothing (version 0) loses.
    expect(await store.saveSettings({ ...first, segmentMenus: [], updatedBy: 'other' })).toBe('conflict');
    expect(await store.settings()).toEqual(first);

    const second: RichMenuSettings = { ...first, segmentMenus: [first.segmentMenus[1]!], version: 2, updatedBy: 'bousai' };
    const racing = await Promise.all([store.saveSettings(second), store.saveSettings({ ...second, updatedBy: 'racer' })]);
    expect(racing.sort()).toEqual(['conflict', 'done']);
    const stored = await store.settings();
    expect(stored.version).toBe(2);
    expect(stored.segmentMenus).toEqual([{ segmentId: 'seg-english', menuId: 'menu-en' }]);
    expect(['bousai', 'racer']).toContain(stored.updatedBy);
    expect(await store.saveSettings({ ...first, version: 2 })).toBe('conflict'); // stale: read at 1
    expect(await store.saveSettings({ ...first, version: 4 })).toBe('conflict'); // skips 3

    // Disaster mode: the same versioning, in an item of its own (the settings stay as they are).
    const on: DisasterState = { active: true, since: '2026-12-01T01:00:00.000Z', by: 'bridge', kinds: ['evacuation_order'], mailId: 'mail-1', version: 1 };
    expect(await store.saveDisaster({ ...on, version: 2 })).toBe('conflict');
    expect(await store.saveDisaster(on)).toBe('done');
    expect(await store.saveDisaster({ ...on, by: 'again' })).toBe('conflict');
    expect(await store.disaster()).toEqual(on);
    const off: DisasterState = { active: false, since: '2026-12-01T03:00:00.000Z', by: 'kikaku', kinds: [], version: 2 };
    expect(await store.saveDisaster(off)).toBe('done');
    expect(await store.saveDisaster({ ...on, version: 2 })).toBe('conflict');
    expect(await store.disaster()).toEqual(off);
    expect((await store.settings()).version).toBe(2);
  });

  it('gives the link job to one run at a time: a second owner waits until the lease is released or expired', async () => {
    const store = new DynamoRichMenuSettingsStore(db, await freshTable('rm-lease'));
    const t = 1_800_000_000_000;
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.claimSync(owner, t, 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c', 'd'][claims.indexOf(true)]!;
    const loser = ['a', 'b', 'c', 'd'].find((o) => o !== winner)!;
    expect(await store.claimSync(loser, t + 1_000, 60_000)).toBe(false);
    expect(await store.claimSync(winner, t + 1_000, 60_000)).toBe(true); // renewed by its owner
    await store.releaseSync(loser); // not the owner: nothing happens
    expect(await store.claimSync(loser, t + 2_000, 60_000)).toBe(false);
    expect(await store.claimSync(loser, t + 62_000, 60_000)).toBe(true); // expired
    await store.releaseSync(loser);
    expect(await store.claimSync(winner, t + 63_000, 60_000)).toBe(true);
    // The lease is not part of the status the console shows.
    expect(await store.syncStatus()).toEqual({});
  });

  it('merges the link job status field by field', async () => {
    const store = new DynamoRichMenuSettingsStore(db, await freshTable('rm-sync'));
    expect(await store.syncStatus()).toEqual({});
    await store.noteSync({}); // nothing to note: nothing written
    await store.noteSync({ error: undefined });
    expect(await store.syncStatus()).toEqual({});

    await store.noteSync({ coveredAt: '2026-12-01T00:00:00.000Z' });
    await store.noteSync({ startedAt: '2026-12-01T00:00:05.000Z' });
    expect(await store.syncStatus()).toEqual({ coveredAt: '2026-12-01T00:00:00.000Z', startedAt: '2026-12-01T00:00:05.000Z' });

    await store.noteSync({ finishedAt: '2026-12-01T00:01:00.000Z', friends: 1200, linked: 30, unlinked: 4, failed: 1, error: 'LINE answered 500' });
    // A later run replaces the fields it names (an empty error clears the last one) and keeps the others.
    await store.noteSync({ startedAt: '2026-12-01T01:00:00.000Z', finishedAt: '2026-12-01T01:00:30.000Z', friends: 1201, failed: 0, error: '' });
    expect(await store.syncStatus()).toEqual({
      coveredAt: '2026-12-01T00:00:00.000Z',
      startedAt: '2026-12-01T01:00:00.000Z',
      finishedAt: '2026-12-01T01:00:30.000Z',
      friends: 1201,
      linked: 30,
      unlinked: 4,
      failed: 0,
      error: '',
    });
  });

  it('counts creations in a sliding hour and says when the oldest leaves it', async () => {
    const table = await freshTable('rm-quota');
    const store = new DynamoRichMenuSettingsStore(db, table);
    const min = 60_000;
    expect(await store.takeCreation(base, 3)).toEqual({ ok: true });
    expect(await store.takeCreation(base + 10 * min, 3)).toEqual({ ok: true });
    expect(await store.takeCreation(base + 20 * min, 3)).toEqual({ ok: true });
    // The fourth in the hour is refused until the first is an hour old, and a refusal counts nothing.
    expect(await store.takeCreation(base + 30 * min, 3)).toEqual({ ok: false, freeAtMs: base + HOUR });
    expect(await store.takeCreation(base + HOUR - 1, 3)).toEqual({ ok: false, freeAtMs: base + HOUR });
    expect((await item(table, richMenuCreationsKey()))?.times).toEqual([base, base + 10 * min, base + 20 * min]);

    // At that time it is free; the creation an hour old is dropped from the item.
    expect(await store.takeCreation(base + HOUR, 3)).toEqual({ ok: true });
    expect((await item(table, richMenuCreationsKey()))?.times).toEqual([base + 10 * min, base + 20 * min, base + HOUR]);
    expect(await store.takeCreation(base + HOUR + 1, 3)).toEqual({ ok: false, freeAtMs: base + 10 * min + HOUR });

    // With a lower limit than is counted, free once enough have left: here two of the three.
    expect(await store.takeCreation(base + HOUR + 2, 2)).toEqual({ ok: false, freeAtMs: base + 20 * min + HOUR });
    // A higher limit counts the same creations.
    expect(await store.takeCreation(base + HOUR + 3, 4)).toEqual({ ok: true });
    expect(await store.takeCreation(base + HOUR + 4, 4)).toEqual({ ok: false, freeAtMs: base + 10 * min + HOUR });

    // Two hours later the hour is empty again.
    expect(await store.takeCreation(base + 3 * HOUR, 1)).toEqual({ ok: true });
    expect((await item(table, richMenuCreationsKey()))?.times).toEqual([base + 3 * HOUR]);
    expect(await store.takeCreation(base + 3 * HOUR + 5, 1)).toEqual({ ok: false, freeAtMs: base + 4 * HOUR });
  });

  type Slot = { ok: true } | { ok: false; freeAtMs: number };
  const raceFor20 = async (table: string) => {
    const store = new DynamoRichMenuSettingsStore(db, table);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => store.takeCreation(base + i, 20)));
    const results = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
    return { store, results, rejected, times: (await item(table, richMenuCreationsKey()))?.times as number[] };
  };

  it('never counts more than the limit when 30 creations race for 20 slots', async () => {
    const table = await freshTable('rm-quota-race');
    const { store, results, rejected, times } = await raceFor20(table);
    const taken = results.filter((r) => r.ok);
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.length).toBeLessThanOrEqual(20);
    // Exactly one counted creation per caller told ok, each its own time: none lost, none doubled.
    expect(times).toHaveLength(taken.length);
    expect(new Set(times).size).toBe(times.length);
    // A caller given no answer wrote nothing (see the next test for why there are any).
    for (const error of rejected) expect(error.message).toBe('rich menu creations: too many concurrent writers');
    // Each refusal names the time an hour after a creation that was counted.
    for (const r of results.filter((r): r is { ok: false; freeAtMs: number } => !r.ok)) expect(times.map((t) => t + HOUR)).toContain(r.freeAtMs);

    // Callers one after another fill the hour to exactly the limit, and the next is refused.
    let more = 0;
    while ((await store.takeCreation(base + 100 + more, 20)).ok) more++;
    expect(taken.length + more).toBe(20);
    const full = (await item(table, richMenuCreationsKey()))?.times as number[];
    expect(full).toHaveLength(20);
    expect(await store.takeCreation(base + 200, 20)).toEqual({ ok: false, freeAtMs: Math.min(...full) + HOUR });
  });

  /** Every racing caller gets an answer: losers of a conditional write read again after a random pause (a first version gave up after 10 tries and threw). */
  it('answers each of 30 racing callers: 20 creations counted and 10 refused, none left without an answer', async () => {
    const { results, rejected, times } = await raceFor20(await freshTable('rm-quota-race'));
    expect(rejected).toEqual([]);
    expect(results.filter((r: Slot) => r.ok)).toHaveLength(20);
    expect(results.filter((r: Slot) => !r.ok)).toHaveLength(10);
    expect(times).toHaveLength(20);
  });

  it('keeps retired LINE menus until they are forgotten', async () => {
    const store = new DynamoRichMenuSettingsStore(db, await freshTable('rm-retired'));
    expect(await store.retired()).toEqual([]);
    // Other items of the partition are not retired menus.
    expect(await store.saveSettings({ ...DEFAULT_RICH_MENU_SETTINGS, version: 1 })).toBe('done');
    await store.noteSync({ startedAt: '2026-12-01T00:00:00.000Z' });
    expect(await store.takeCreation(base, 5)).toEqual({ ok: true });
    expect(await store.retired()).toEqual([]);

    await store.retire('richmenu-aaa', '2026-12-01T01:00:00.000Z');
    await store.retire('richmenu-bbb', '2026-12-01T02:00:00.000Z');
    await store.retire('richmenu-aaa', '2026-12-01T03:00:00.000Z'); // retired again: one entry, the later time
    const sorted = (list: { lineRichMenuId: string; at: string }[]) => [...list].sort((a, b) => a.lineRichMenuId.localeCompare(b.lineRichMenuId));
    expect(sorted(await store.retired())).toEqual([
      { lineRichMenuId: 'richmenu-aaa', at: '2026-12-01T03:00:00.000Z' },
      { lineRichMenuId: 'richmenu-bbb', at: '2026-12-01T02:00:00.000Z' },
    ]);

    await store.forget('richmenu-aaa');
    await store.forget('richmenu-never-retired'); // not an error
    expect(await store.retired()).toEqual([{ lineRichMenuId: 'richmenu-bbb', at: '2026-12-01T02:00:00.000Z' }]);
    await store.forget('richmenu-bbb');
    expect(await store.retired()).toEqual([]);
    expect((await store.settings()).version).toBe(1);
  });
});

describe('DynamoRichMenuLinkStore', () => {
  it('records links and removals per bucket and reads them one by one and all at once', async () => {
    const table = await freshTable('rm-links');
    const store = new DynamoRichMenuLinkStore(db, table);
    expect(await store.all()).toEqual(new Map());
    const [a, b, c] = [newUser(), newUser(), newUser()];
    const { bucket, users: sameBucket } = usersInOneBucket(3);
    expect(await store.get(a)).toBeNull();

    await store.apply(
      new Map([
        [a, 'richmenu-minami'],
        [b, 'richmenu-en'],
        [c, 'richmenu-minami'],
        [sameBucket[0]!, 'richmenu-1'],
        [sameBucket[1]!, 'richmenu-2'],
        [sameBucket[2]!, 'richmenu-3'],
      ]),
    );
    expect(await store.get(a)).toBe('richmenu-minami');
    expect(await store.get(b)).toBe('richmenu-en');
    expect(await store.get(sameBucket[1]!)).toBe('richmenu-2');
    // One item per bucket: the three of one bucket are lines of a single item.
    const packed = await item(table, richMenuLinksKey(bucket));
    expect(String(packed?.l).split('\n').sort()).toEqual(sameBucket.map((u, i) => `${u}\trichmenu-${i + 1}`).sort());
    expect(packed?.rev).toBe(1);

    // A removal (null), a change and an untouched link in the same call; removing an unknown user is no error.
    await store.apply(
      new Map<string, string | null>([
        [a, null],
        [b, 'richmenu-disaster'],
        [sameBucket[0]!, null],
        [newUser(), null],
      ]),
    );
    expect(await store.get(a)).toBeNull();
    expect(await store.get(sameBucket[0]!)).toBeNull();
    expect(await store.all()).toEqual(
      new Map([
        [b, 'richmenu-disaster'],
        [c, 'richmenu-minami'],
        [sameBucket[1]!, 'richmenu-2'],
        [sameBucket[2]!, 'richmenu-3'],
      ]),
    );
    expect((await item(table, richMenuLinksKey(bucket)))?.rev).toBe(2);
  });

  it('loses nothing when 20 apply calls over the same buckets race, nor when removals race with links', async () => {
    const store = new DynamoRichMenuLinkStore(db, await freshTable('rm-links-race'));
    // 1,000 friends over 512 buckets: every bucket is written by about two of the calls at once.
    const groups = Array.from({ length: 20 }, () => Array.from({ length: 50 }, newUser));
    const menuOf = (g: number) => `richmenu-${g % 3}`;
    const outcomes = await Promise.allSettled(groups.map((users, g) => store.apply(new Map(users.map((u) => [u, menuOf(g)])))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);

    const expected = new Map(groups.flatMap((users, g) => users.map((u) => [u, menuOf(g)] as const)));
    const all = await store.all();
    expect(all.size).toBe(1_000);
    expect(all).toEqual(expected);

    // Ten calls unlink ten users each while ten others relink other users of the same buckets.
    const removed = groups.slice(0, 10).map((users) => users.slice(0, 10));
    const relinked = groups.slice(10).map((users) => users.slice(0, 10));
    const second = await Promise.allSettled([
      ...removed.map((users) => store.apply(new Map(users.map((u) => [u, null])))),
      ...relinked.map((users) => store.apply(new Map(users.map((u) => [u, 'richmenu-disaster'])))),
    ]);
    expect(second.filter((o) => o.status === 'rejected')).toEqual([]);
    for (const u of removed.flat()) expected.delete(u);
    for (const u of relinked.flat()) expected.set(u, 'richmenu-disaster');
    const after = await store.all();
    expect(after.size).toBe(900);
    expect(after).toEqual(expected);
    expect(await store.get(removed[0]![0]!)).toBeNull();
    expect(await store.get(relinked[0]![0]!)).toBe('richmenu-disaster');
    expect(await store.get(groups[0]![10]!)).toBe(menuOf(0));
  });

  it('keeps every change when writers race on one bucket item', async () => {
    const table = await freshTable('rm-links-bucket');
    const store = new DynamoRichMenuLinkStore(db, table);
    const { bucket, users } = usersInOneBucket(40);
    // Eight writers (the link job's batches and single relinks), each five friends of the same item.
    const writers = Array.from({ length: 8 }, (_, w) => users.slice(w * 5, w * 5 + 5));
    const outcomes = await Promise.allSettled(writers.map((list, w) => store.apply(new Map(list.map((u) => [u, `richmenu-${w}`])))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const all = await store.all();
    expect(all.size).toBe(40);
    writers.forEach((list, w) => list.forEach((u) => expect(all.get(u)).toBe(`richmenu-${w}`)));
    // Every successful write bumped the revision once.
    expect((await item(table, richMenuLinksKey(bucket)))?.rev).toBe(8);
  });
});

describe('DynamoFriendSegmentSource', () => {
  let table: string;
  let friends: DynamoFriendRepository;
  let responses: DynamoResponseStore;
  let source: DynamoFriendSegmentSource;
  const at = new Date('2026-12-01T00:00:00Z');
  let submitted = 0;

  beforeAll(async () => {
    table = await freshTable('rm-segments');
    await ensureAudienceIndex(db, table);
    friends = new DynamoFriendRepository(db, table);
    responses = new DynamoResponseStore(db, table);
    source = new DynamoFriendSegmentSource(db, table);
  });

  const submit = (formId: string, userId: string, attributes?: Record<string, string | string[]>) =>
    responses.submit({
      response: {
        responseId: randomUUID(),
        formId,
        version: 1,
        userId,
        displayName: 'x',
        answers: {},
        lang: 'ja',
        submittedAt: new Date(at.getTime() + ++submitted).toISOString(),
      },
      ...(attributes ? { attributes } : {}),
    });

  it('reads an active friend with their language and profile attributes, and nobody blocked or unknown', async () => {
    const hanako = newUser();
    const taro = newUser();
    const blocked = newUser();
    expect(await friends.recordFollow({ userId: hanako, displayName: '荒尾 花子', language: 'en', eventAt: base + 1, at })).toBe('applied');
    expect(await friends.recordFollow({ userId: taro, displayName: '荒尾 太郎', eventAt: base + 2, at })).toBe('applied');
    expect(await friends.recordFollow({ userId: blocked, displayName: '荒尾 次郎', language: 'ja', eventAt: base + 3, at })).toBe('applied');

    // Before any answer: the follow and the language, no attributes; the name is not read.
    expect(await source.friend(hanako)).toEqual({ userId: hanako, displayName: '', status: 'active', followedAtMs: base + 1, language: 'en' });
    expect(await source.friend(taro)).toEqual({ userId: taro, displayName: '', status: 'active', followedAtMs: base + 2 });

    await submit('profile-test', hanako, { district: 'arao', categories: ['disaster', 'events'] });
    expect(await source.friend(hanako)).toEqual({
      userId: hanako,
      displayName: '',
      status: 'active',
      followedAtMs: base + 1,
      language: 'en',
      attributes: { district: 'arao', categories: ['disaster', 'events'] },
    });

    expect(await source.friend(blocked)).not.toBeNull();
    expect(await friends.recordUnfollow(blocked, base + 10, at)).toBe('applied');
    expect(await source.friend(blocked)).toBeNull();
    expect(await source.friend(newUser())).toBeNull();

    // A friend who answered while blocked and came back: active again, the first follow kept, the answer read.
    await submit('profile-test', blocked, { district: 'manda' });
    expect(await source.friend(blocked)).toBeNull();
    expect(await friends.recordFollow({ userId: blocked, displayName: '荒尾 次郎', language: 'ja', eventAt: base + 20, at })).toBe('applied');
    expect(await source.friend(blocked)).toEqual({
      userId: blocked,
      displayName: '',
      status: 'active',
      followedAtMs: base + 3,
      language: 'ja',
      attributes: { district: 'manda' },
    });
  });

  it('says whether a friend answered a form', async () => {
    const u = newUser();
    const other = newUser();
    await friends.recordFollow({ userId: u, displayName: '回答 者', eventAt: base, at });
    expect(await source.answered('survey-2026', u)).toBe(false);
    await submit('survey-2026', u);
    expect(await source.answered('survey-2026', u)).toBe(true);
    // Per form and per friend.
    expect(await source.answered('survey-2027', u)).toBe(false);
    expect(await source.answered('survey-2026', other)).toBe(false);
    // A second answer is still one answer.
    await submit('survey-2026', u);
    expect(await source.answered('survey-2026', u)).toBe(true);
  });
});
