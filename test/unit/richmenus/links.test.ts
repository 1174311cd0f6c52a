/**
 * Which menu each friend sees: segment menus linked in bulk (≤ 500 a call) and kept right as
 * attributes change (the link job and a single relink), disaster mode switching everyone to the
 * disaster menu and back (staff's click, a disaster mail of a chosen kind, the matching 解除), and
 * LINE's 100 creations an hour counted before any creation.
 */
import type { AudienceFriend, Segment } from '../../../functions/deliveries/model';
import { LinkJobBusyError, relinkFriend, syncLinks, wantedLink, type LinkDeps } from '../../../functions/richmenus/links';
import type { RichMenu } from '../../../functions/richmenus/model';
import { disasterSignal } from '../../../functions/richmenus/disaster-signal';
import { saveMenuLinks, staffSwitchDisaster, type MenuLinksDeps } from '../../../functions/richmenus/staff-menu-links';
import { createOnLine, deleteMenu, publishMenu, refreshMenu, updateMenu } from '../../../functions/richmenus/staff-richmenus';
import type { ReceivedMail } from '../../../functions/disaster-mail/ports';
import { ConflictError, TooManyRequestsError, ValidationError } from '../../../functions/shared/errors';
import type { SignedIn } from '../../../functions/staff/context';
import { MemoryAudit } from '../../support/admin-fakes';
import { MemoryRecords } from '../../support/delivery-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs, MemoryForms } from '../../support/form-fakes';
import { MemoryAudience } from '../../support/pipeline-fakes';
import { FakeRichMenuPlatform, MemoryLinkStore, MemoryMenuSettings, MemoryRichMenus, menuImage } from '../../support/richmenu-fakes';

const who = { account: { loginId: 'bousai01', role: 'general', permissions: ['richMenus'] }, ip: '192.0.2.1' } as unknown as SignedIn;
const uid = (n: number) => `U${n.toString(16).padStart(32, '0')}`;
const T0 = new Date('2026-12-07T03:00:00Z');

const ENGLISH = '01KA0000000000000000SEGEN0';
const UNREGISTERED = '01KA0000000000000000SEGNR0';
const MENUS = {
  normal: '01KA00000000000000000MN000',
  english: '01KA00000000000000000MN001',
  register: '01KA00000000000000000MN002',
  disaster: '01KA00000000000000000MN003',
};

function segment(segmentId: string, name: string, rule: Segment['rule']): Segment {
  return { segmentId, name, rule, createdAt: T0.toISOString(), createdBy: 'seed', updatedAt: T0.toISOString(), updatedBy: 'seed', version: 1 };
}

async function harness(friends: AudienceFriend[]) {
  const blobs = new MemoryBlobs();
  const richMenus = new MemoryRichMenus();
  const image = { key: 'richmenus/seed.png', contentType: 'image/png' as const, bytes: 100 };
  await blobs.put(image.key, menuImage(2500, 843));
  for (const [key, menuId] of Object.entries(MENUS)) {
    const menu: RichMenu = {
      menuId,
      name: `${key} のメニュー`,
      chatBarText: 'メニュー',
      size: 'compact',
      selected: true,
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, label: key, action: { type: 'keyword', text: key } }],
      image,
      isDefault: false,
      createdAt: T0.toISOString(),
      createdBy: 'seed',
      updatedAt: T0.toISOString(),
      updatedBy: 'seed',
      version: 1,
    };
    await richMenus.create(menu);
  }
  const segments = new MemoryRecords<Segment>('segmentId');
  await segments.create(segment(ENGLISH, '英語の方', { match: 'all', conditions: [{ kind: 'language', values: ['en'] }] }));
  await segments.create(
    segment(UNREGISTERED, 'プロフィール未登録', { match: 'all', conditions: [{ kind: 'answeredForm', formId: 'profile', answered: false }] }),
  );
  const audience = new MemoryAudience(friends, 300);
  const sync: string[] = [];
  const deps = {
    audit: new MemoryAudit(),
    clock: new FakeClock(T0),
    richMenus,
    platform: new FakeRichMenuPlatform(),
    blobs,
    forms: new MemoryForms(),
    liffId: '2000000000-LocalSim',
    menuSettings: new MemoryMenuSettings(),
    links: new MemoryLinkStore(),
    segments,
    audience,
    requestSync: async () => {
      sync.push('requested');
    },
  };
  return { deps: deps as typeof deps & MenuLinksDeps & LinkDeps, sync };
}

const friend = (n: number, over: Partial<AudienceFriend> = {}): AudienceFriend => ({
  userId: uid(n),
  displayName: '',
  status: 'active',
  followedAtMs: T0.getTime() - 86_400_000,
  language: 'ja',
  ...over,
});

/** Friends as the single relink reads them, from the same list the audience gives. */
const sources = (audience: MemoryAudience) => ({
  friend: async (userId: string) => audience.friends.find((f) => f.userId === userId) ?? null,
  answered: async (formId: string, userId: string) => audience.answered.get(formId)?.has(userId) ?? false,
});

const published = async (deps: MenuLinksDeps) => {
  const menu = (await deps.richMenus.get(MENUS.normal))!;
  return publishMenu(deps, who, MENUS.normal, menu.version);
};

describe('menus per segment', () => {
  it('links 1,200 English speakers to their menu in bulk calls of at most 500, and nobody else', async () => {
    const friends = [...Array.from({ length: 1200 }, (_, i) => friend(i, { language: 'en' })), ...Array.from({ length: 300 }, (_, i) => friend(5000 + i))];
    const { deps, sync } = await harness(friends);
    deps.audience.answered.set('profile', new Set(friends.map((f) => f.userId)));
    await published(deps);
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    expect(sync).toEqual(['requested']);
    const english = (await deps.richMenus.get(MENUS.english))!.lineRichMenuId!;
    expect(english).toBeDefined();

    const outcome = await syncLinks(deps);
    expect(outcome).toMatchObject({ friends: 1500, linked: 1200, unlinked: 0, failed: 0 });
    expect(deps.platform.bulkCalls.map((c) => c.count)).toEqual([500, 500, 200]);
    expect(friends.filter((f) => deps.platform.shown(f.userId) === english)).toHaveLength(1200);
    const normal = (await deps.richMenus.get(MENUS.normal))!.lineRichMenuId;
    expect(deps.platform.shown(uid(5000))).toBe(normal);

    // Nothing changed: a second run makes no call.
    deps.platform.bulkCalls = [];
    expect(await syncLinks(deps)).toMatchObject({ linked: 0, unlinked: 0 });
    expect(deps.platform.bulkCalls).toEqual([]);
  });

  it('the first segment in the list wins; a friend whose attribute changes is relinked at once, and the job agrees', async () => {
    const friends = [friend(1), friend(2, { language: 'en' })];
    const { deps } = await harness(friends);
    await published(deps);
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [
        { segmentId: UNREGISTERED, menuId: MENUS.register },
        { segmentId: ENGLISH, menuId: MENUS.english },
      ],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    await syncLinks(deps);
    const line = async (key: keyof typeof MENUS) => (await deps.richMenus.get(MENUS[key]))!.lineRichMenuId!;
    // Nobody answered the profile form: both see the "please register" menu, the English speaker too (first match).
    expect(deps.platform.shown(uid(1))).toBe(await line('register'));
    expect(deps.platform.shown(uid(2))).toBe(await line('register'));

    // The English speaker registers: their next segment is English.
    deps.audience.answered.set('profile', new Set([uid(2)]));
    expect(await relinkFriend({ ...deps, sources: sources(deps.audience) }, uid(2))).toBe('linked');
    expect(deps.platform.shown(uid(2))).toBe(await line('english'));
    // The Japanese speaker registers too: no segment holds them, the default menu again.
    deps.audience.answered.get('profile')!.add(uid(1));
    expect(await relinkFriend({ ...deps, sources: sources(deps.audience) }, uid(1))).toBe('unlinked');
    expect(deps.platform.shown(uid(1))).toBe(await line('normal'));
    expect(await relinkFriend({ ...deps, sources: sources(deps.audience) }, uid(1))).toBe('unchanged');

    // The job sees the same and has nothing to do.
    deps.platform.bulkCalls = [];
    expect(await syncLinks(deps)).toMatchObject({ linked: 0, unlinked: 0 });

    // An attribute changed without a relink (e.g. a failed call): the job puts it right.
    deps.audience.friends[1] = { ...deps.audience.friends[1]!, language: 'ja' };
    expect(await syncLinks(deps)).toMatchObject({ linked: 0, unlinked: 1 });
    expect(deps.platform.shown(uid(2))).toBe(await line('normal'));
  });

  it('matches segments as deliveries do (wantedLink is the segment rule)', () => {
    const plan = {
      rules: [
        {
          rule: { match: 'all' as const, conditions: [{ kind: 'attribute' as const, attribute: 'district' as const, op: 'in' as const, values: ['d1'] }] },
          lineRichMenuId: 'L1',
          segmentId: 's',
          menuId: 'm',
        },
      ],
    };
    expect(wantedLink(plan, friend(1, { attributes: { district: 'd1' } }), new Map())).toBe('L1');
    expect(wantedLink(plan, friend(1, { attributes: { district: 'd2' } }), new Map())).toBeNull();
    expect(wantedLink(plan, friend(1, { attributes: { district: 'd1' }, status: 'blocked' }), new Map())).toBeNull();
  });

  it('a failed bulk call is counted and left for the next run, which finishes the work', async () => {
    const friends = Array.from({ length: 600 }, (_, i) => friend(i, { language: 'en' }));
    const { deps } = await harness(friends);
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    deps.platform.failLinks = 1;
    expect(await syncLinks(deps)).toMatchObject({ linked: 100, failed: 500 });
    expect((await deps.menuSettings.syncStatus()).error).toContain('link');
    expect(await syncLinks(deps)).toMatchObject({ linked: 500, failed: 0 });
    expect(friends.every((f) => deps.platform.links.has(f.userId))).toBe(true);
  });

  it('a request older than the last finished run is skipped; a run that died covers nothing; one run at a time', async () => {
    const { deps } = await harness([friend(1, { language: 'en' })]);
    await syncLinks(deps);
    const started = (await deps.menuSettings.syncStatus()).startedAt!;
    expect(await syncLinks(deps, new Date(Date.parse(started) - 1000).toISOString())).toMatchObject({ skipped: true });

    // A run dies half-way (the link store fails): the queue's retry of the same request runs again.
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    const requestedAt = new Date(deps.clock.now().getTime() + 1).toISOString();
    deps.clock.current = new Date(deps.clock.now().getTime() + 1000);
    const apply = deps.links.apply.bind(deps.links);
    deps.links.apply = async () => {
      throw new Error('DynamoDB unavailable');
    };
    await expect(syncLinks(deps, requestedAt)).rejects.toThrow('DynamoDB unavailable');
    deps.links.apply = apply;
    expect(await syncLinks(deps, requestedAt)).toMatchObject({ linked: 1 });

    // Another run holds the job: this message waits in the queue.
    await deps.menuSettings.claimSync('another run', deps.clock.now().getTime(), 60_000);
    await expect(syncLinks(deps)).rejects.toBeInstanceOf(LinkJobBusyError);
  });

  it('publishing over a default that friends are linked to retires its LINE menu instead of deleting it', async () => {
    const { deps } = await harness([friend(1, { language: 'en' })]);
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    await syncLinks(deps);
    // The English menu is then published as everyone's default, and removed from the segment menus …
    const english = (await deps.richMenus.get(MENUS.english))!;
    await publishMenu(deps, who, MENUS.english, english.version);
    await saveMenuLinks(deps, who, { version: 1, segmentMenus: [], disaster: { onKinds: [], offWhenLifted: true } });
    // … and replaced by another default: its LINE menu still holds the English speaker's link.
    const englishLine = (await deps.richMenus.get(MENUS.english))!.lineRichMenuId!;
    await published(deps);
    expect(deps.platform.made.has(englishLine)).toBe(true);
    expect((await deps.menuSettings.retired()).map((r) => r.lineRichMenuId)).toContain(englishLine);
    await syncLinks(deps);
    expect(deps.platform.links.has(uid(1))).toBe(false);
    expect(deps.platform.made.has(englishLine)).toBe(false);
  });

  it('a blocked friend loses their recorded link (a return starts from the default)', async () => {
    const { deps } = await harness([friend(1, { language: 'en' })]);
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    await syncLinks(deps);
    expect(deps.links.map.size).toBe(1);
    deps.audience.friends = [];
    expect(await syncLinks(deps)).toMatchObject({ unlinked: 1 });
    expect(deps.links.map.size).toBe(0);
    expect(deps.platform.links.size).toBe(0);
  });

  it('an edited segment menu reaches LINE with 「LINEに反映」: friends move to the new LINE menu, then the old one is deleted', async () => {
    const { deps } = await harness([friend(1, { language: 'en' })]);
    await saveMenuLinks(deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    await syncLinks(deps);
    const before = (await deps.richMenus.get(MENUS.english))!;
    const old = before.lineRichMenuId!;
    const {
      version: _v,
      menuId: _m,
      lineRichMenuId: _l,
      image: _i,
      isDefault: _d,
      createdAt: _c,
      createdBy: _cb,
      updatedAt: _u,
      updatedBy: _ub,
      ...fields
    } = before;
    const edited = await updateMenu(deps, who, MENUS.english, { ...fields, name: 'English menu (new)', version: before.version });
    expect(edited.changedSincePublish).toBe(true);
    const refreshed = await refreshMenu(deps, who, MENUS.english, edited.version);
    expect(refreshed.lineRichMenuId).not.toBe(old);
    expect(refreshed.changedSincePublish).toBe(false);
    expect(deps.platform.made.has(old)).toBe(true); // friends are still linked to it
    await syncLinks(deps);
    expect(deps.platform.shown(uid(1))).toBe(refreshed.lineRichMenuId);
    expect(deps.platform.made.has(old)).toBe(false);
    expect(await deps.menuSettings.retired()).toEqual([]);
  });

  it('refuses a menu without image or areas, an unknown segment, a stale version; and deleting a linked menu', async () => {
    const { deps } = await harness([]);
    const bare = { ...(await deps.richMenus.get(MENUS.english))!, areas: [], version: 2 };
    await deps.richMenus.replace(bare);
    const base = { version: 0, disaster: { onKinds: [], offWhenLifted: true } };
    await expect(saveMenuLinks(deps, who, { ...base, segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }] })).rejects.toThrow(/画像とタップ領域/);
    await expect(saveMenuLinks(deps, who, { ...base, segmentMenus: [{ segmentId: '01KA0000000000000000SEGXX0', menuId: MENUS.register }] })).rejects.toThrow(
      ValidationError,
    );
    await saveMenuLinks(deps, who, { ...base, segmentMenus: [{ segmentId: UNREGISTERED, menuId: MENUS.register }] });
    await expect(saveMenuLinks(deps, who, { ...base, segmentMenus: [] })).rejects.toThrow(ConflictError);
    await expect(deleteMenu(deps, who, MENUS.register, (await deps.richMenus.get(MENUS.register))!.version)).rejects.toThrow(/使われている/);
  });
});

describe('disaster mode', () => {
  async function ready(friends: AudienceFriend[]) {
    const h = await harness(friends);
    await published(h.deps);
    await saveMenuLinks(h.deps, who, {
      version: 0,
      segmentMenus: [{ segmentId: ENGLISH, menuId: MENUS.english }],
      disaster: { menuId: MENUS.disaster, onKinds: ['evacuation_order', 'emergency_safety'], offWhenLifted: true },
    });
    await syncLinks(h.deps);
    return h;
  }
  const line = async (deps: MenuLinksDeps, key: keyof typeof MENUS) => (await deps.richMenus.get(MENUS[key]))!.lineRichMenuId!;

  it('one click shows everyone the disaster menu (links removed), a second click brings each friend their menu back', async () => {
    const { deps, sync } = await ready([friend(1), friend(2, { language: 'en' })]);
    // The disaster menu went to LINE when it was chosen: switching makes no menu.
    const made = deps.platform.made.size;
    expect(deps.platform.shown(uid(2))).toBe(await line(deps, 'english'));
    let view = await staffSwitchDisaster(deps, who, true, 0);
    expect(view.disaster).toMatchObject({ active: true, by: 'bousai01', kinds: [] });
    expect(deps.platform.defaultId).toBe(await line(deps, 'disaster'));
    expect(sync.length).toBeGreaterThan(1);
    await syncLinks(deps);
    expect(deps.platform.shown(uid(1))).toBe(await line(deps, 'disaster'));
    expect(deps.platform.shown(uid(2))).toBe(await line(deps, 'disaster'));
    expect(deps.platform.made.size).toBe(made);
    // A stale click (someone else switched meanwhile) is refused.
    await expect(staffSwitchDisaster(deps, who, false, 0)).rejects.toThrow(ConflictError);

    view = await staffSwitchDisaster(deps, who, false, view.disaster.version);
    expect(view.disaster.active).toBe(false);
    expect(deps.platform.defaultId).toBe(await line(deps, 'normal'));
    await syncLinks(deps);
    expect(deps.platform.shown(uid(1))).toBe(await line(deps, 'normal'));
    expect(deps.platform.shown(uid(2))).toBe(await line(deps, 'english'));
    expect(deps.audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['richmenu.disaster_on', 'richmenu.disaster_off']));
  });

  it('a follow during disaster mode sees the disaster menu (no link), and publishing a new default waits for the end', async () => {
    const { deps } = await ready([friend(1)]);
    await staffSwitchDisaster(deps, who, true, 0);
    deps.audience.friends.push(friend(9, { language: 'en' }));
    expect(await relinkFriend({ ...deps, sources: sources(deps.audience) }, uid(9))).toBe('unchanged');
    expect(deps.platform.shown(uid(9))).toBe(await line(deps, 'disaster'));
    const register = (await deps.richMenus.get(MENUS.register))!;
    await publishMenu(deps, who, MENUS.register, register.version);
    expect(deps.platform.defaultId).toBe(await line(deps, 'disaster'));
    await staffSwitchDisaster(deps, who, false, (await deps.menuSettings.disaster()).version);
    expect(deps.platform.defaultId).toBe(await line(deps, 'register'));
  });

  const mail = (mailId: string, over: Partial<ReceivedMail>): ReceivedMail => ({
    mailId,
    receivedAt: new Date(T0.getTime() + Number(mailId.slice(-2)) * 60_000).toISOString(),
    source: 'mail',
    decision: 'sent',
    reason: '',
    attachments: [],
    bytes: 100,
    storageKey: 'k',
    ...over,
  });

  it('a disaster mail of a chosen kind switches it on; the matching 解除 switches it off; others and tests do nothing', async () => {
    const { deps } = await ready([friend(1)]);
    const mails = new Map<string, ReceivedMail>();
    const d = { ...deps, mails: { get: async (id: string) => mails.get(id) ?? null } };
    mails.set('m01', mail('m01', { kind: 'heavy_rain_warning', subject: '大雨警報' }));
    mails.set('m02', mail('m02', { kind: 'evacuation_order', source: 'test', subject: '【テスト】避難指示' }));
    mails.set('m03', mail('m03', { kind: 'evacuation_order', decision: 'refused', subject: '避難指示' }));
    for (const id of ['m01', 'm02', 'm03', 'missing']) expect(await disasterSignal(d, id)).toBe('none');
    expect((await deps.menuSettings.disaster()).active).toBe(false);

    mails.set('m04', mail('m04', { kind: 'evacuation_order', subject: '【避難指示】荒尾地区に避難指示を発令' }));
    expect(await disasterSignal(d, 'm04')).toBe('on');
    expect(await disasterSignal(d, 'm04')).toBe('none'); // a redelivered message
    expect(deps.platform.defaultId).toBe(await line(deps, 'disaster'));
    mails.set('m05', mail('m05', { kind: 'emergency_safety', subject: '緊急安全確保' }));
    expect(await disasterSignal(d, 'm05')).toBe('none'); // already on: its kind joins those in force
    expect((await deps.menuSettings.disaster()).kinds).toEqual(['evacuation_order', 'emergency_safety']);

    // 解除 of the heavy rain warning: not a kind in force.
    mails.set('m06', mail('m06', { kind: 'lifted', subject: '大雨警報の解除' }));
    expect(await disasterSignal(d, 'm06')).toBe('none');
    mails.set('m07', mail('m07', { kind: 'lifted', subject: '避難指示の解除について' }));
    expect(await disasterSignal(d, 'm07')).toBe('none'); // 緊急安全確保 still in force
    expect((await deps.menuSettings.disaster()).kinds).toEqual(['emergency_safety']);
    mails.set('m08', mail('m08', { kind: 'lifted', subject: '緊急安全確保の解除' }));
    expect(await disasterSignal(d, 'm08')).toBe('off');
    expect(deps.platform.defaultId).toBe(await line(deps, 'normal'));
    // The older 避難指示, redelivered after the 解除, does not switch it on again.
    expect(await disasterSignal(d, 'm04')).toBe('none');
    expect((await deps.menuSettings.disaster()).active).toBe(false);
  });

  it('in disaster mode every friend is unlinked, also one whose link the record does not know', async () => {
    const { deps } = await ready([friend(1), friend(2)]);
    // A link made elsewhere (LINE's console, an earlier version): not in the record.
    deps.platform.links.set(uid(1), (await deps.richMenus.get(MENUS.english))!.lineRichMenuId!);
    await staffSwitchDisaster(deps, who, true, 0);
    await syncLinks(deps);
    expect(deps.platform.shown(uid(1))).toBe(await line(deps, 'disaster'));
  });

  it('mails in any order: an order processed after its 解除 switches nothing; an unknown or partial 解除 lifts nothing', async () => {
    const { deps } = await ready([friend(1)]);
    const mails = new Map<string, ReceivedMail>();
    const d = { ...deps, mails: { get: async (id: string) => mails.get(id) ?? null } };
    mails.set('m10', mail('m10', { kind: 'evacuation_order', subject: '避難指示の発令' }));
    mails.set('m20', mail('m20', { kind: 'lifted', subject: '避難指示の解除' }));
    // The 解除 (received later) is processed first; then the order (a held mail released late, or a queue out of order).
    expect(await disasterSignal(d, 'm20')).toBe('none');
    expect(await disasterSignal(d, 'm10')).toBe('none');
    expect((await deps.menuSettings.disaster()).active).toBe(false);

    mails.set('m30', mail('m30', { kind: 'evacuation_order', subject: '【避難指示】再び発令' }));
    expect(await disasterSignal(d, 'm30')).toBe('on');
    mails.set('m31', mail('m31', { kind: 'lifted', subject: '洪水警報の解除' }));
    mails.set('m32', mail('m32', { kind: 'lifted', subject: '避難指示の一部解除について' }));
    mails.set('m33', mail('m33', { kind: 'lifted', subject: '【お知らせ】解除', text: '大雨警報を解除しました。\n避難指示は引き続き発令中です。' }));
    for (const id of ['m31', 'm32', 'm33']) expect(await disasterSignal(d, id)).toBe('none');
    expect(await deps.menuSettings.disaster()).toMatchObject({ active: true, kinds: ['evacuation_order'] });
  });

  it('a 解除 never ends a disaster mode that staff switched on', async () => {
    const { deps } = await ready([friend(1)]);
    await staffSwitchDisaster(deps, who, true, 0);
    const d = { ...deps, mails: { get: async () => mail('m09', { kind: 'lifted', subject: '避難指示の解除' }) } };
    expect(await disasterSignal(d, 'm09')).toBe('none');
    expect((await deps.menuSettings.disaster()).active).toBe(true);
  });

  it('cannot be switched on without a disaster menu', async () => {
    const { deps } = await harness([]);
    await expect(staffSwitchDisaster(deps, who, true, 0)).rejects.toThrow(/災害メニューが選ばれていません/);
  });
});

describe("LINE's 100 rich menu creations an hour", () => {
  it('are counted before each creation: the 101st within the hour is refused with the time a slot frees, LINE is not called', async () => {
    const { deps } = await harness([]);
    const menu = (await deps.richMenus.get(MENUS.normal))!;
    for (let i = 0; i < 100; i++) {
      await createOnLine(deps, menu);
      deps.clock.current = new Date(deps.clock.current.getTime() + 1000);
    }
    const made = deps.platform.made.size;
    const refused = createOnLine(deps, menu);
    await expect(refused).rejects.toThrow(TooManyRequestsError);
    await expect(createOnLine(deps, menu)).rejects.toThrow(/1時間に100個まで.*13:00 以降/);
    expect(deps.platform.made.size).toBe(made);
    deps.clock.current = new Date(deps.clock.current.getTime() + 3_600_000 - 100_000);
    await expect(createOnLine(deps, menu)).resolves.toMatch(/^richmenu-/);
  });
});
