/**
 * Rich menus' use cases on in-memory stores and a fake LINE: LINE's limits checked when saved,
 * the image checked by its bytes and exact size, publishing as everyone's default (a new LINE menu,
 * the old ones deleted), a failure half-way changing nothing, unpublishing, deleting.
 */
import type { SignedIn } from '../../../functions/staff/context';
import { createMenuBody } from '../../../functions/richmenus/schemas';
import {
  createMenu,
  deleteMenu,
  publishMenu,
  toLineRichMenu,
  unpublishMenu,
  updateMenu,
  uploadMenuImage,
  type StaffRichMenusDeps,
} from '../../../functions/richmenus/staff-richmenus';
import { ConflictError, ValidationError } from '../../../functions/shared/errors';
import { newForm } from '../../../functions/forms/form';
import { MemoryAudit } from '../../support/admin-fakes';
import { MemoryScenarios, scenarioHeader } from '../../support/scenario-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs, MemoryForms } from '../../support/form-fakes';
import { FakeRichMenuPlatform, MemoryLinkStore, MemoryMenuSettings, MemoryRichMenus, menuImage } from '../../support/richmenu-fakes';

const who = { account: { loginId: 'koho01', role: 'general', permissions: ['richMenus'] }, ip: '192.0.2.1' } as unknown as SignedIn;

async function harness() {
  const forms = new MemoryForms();
  await forms.create(
    newForm({ formId: 'profile', kind: 'profile', title: { ja: 'プロフィール登録' }, items: [], by: 'seed', now: new Date(), status: 'published' }),
  );
  await forms.create(newForm({ formId: 'draft-form', kind: 'survey', title: { ja: '下書きのアンケート' }, items: [], by: 'seed', now: new Date() }));
  const deps = {
    audit: new MemoryAudit(),
    clock: new FakeClock(new Date('2026-12-07T03:00:00Z')),
    richMenus: new MemoryRichMenus(),
    platform: new FakeRichMenuPlatform(),
    blobs: new MemoryBlobs(),
    forms,
    liffId: '2000000000-LocalSim',
    menuSettings: new MemoryMenuSettings(),
    links: new MemoryLinkStore(),
    requestSync: async () => undefined,
  };
  return deps as typeof deps & StaffRichMenusDeps;
}

const input = (over: Record<string, unknown> = {}) =>
  createMenuBody.parse({
    name: '通常メニュー',
    chatBarText: 'メニュー',
    size: 'compact',
    areas: [
      { bounds: { x: 0, y: 0, width: 833, height: 843 }, label: 'ごみの出し方', action: { type: 'keyword', text: 'ごみの出し方' } },
      { bounds: { x: 833, y: 0, width: 834, height: 843 }, label: 'プロフィール登録', action: { type: 'form', formId: 'profile' } },
      { bounds: { x: 1667, y: 0, width: 833, height: 843 }, label: '市のホームページ', action: { type: 'link', url: 'https://www.city.arao.lg.jp/' } },
    ],
    ...over,
  });

describe('saving a menu', () => {
  it("checks LINE's limits: areas inside the image, at most 20, a bar text of 14 characters", () => {
    const outside = createMenuBody.safeParse({
      ...input(),
      areas: [{ bounds: { x: 2000, y: 0, width: 600, height: 843 }, label: 'はみ出し', action: { type: 'keyword', text: 'x' } }],
    });
    expect(outside.error!.issues[0]!.message).toBe('領域1（はみ出し）が画像（2500×843）からはみ出しています。');
    const many = createMenuBody.safeParse({ ...input(), areas: Array.from({ length: 21 }, () => input().areas[0]) });
    expect(many.error!.issues[0]!.message).toContain('20個まで');
    expect(createMenuBody.safeParse({ ...input(), chatBarText: 'あいうえおかきくけこさしすせそ' }).error!.issues[0]!.message).toContain('14文字以内');
    expect(createMenuBody.safeParse({ ...input(), areas: [{ ...input().areas[2], action: { type: 'link', url: 'http://example.com' } }] }).success).toBe(false);
  });

  it('refuses an area opening a form that is not published, and a stale edit', async () => {
    const deps = await harness();
    const bad = input({ areas: [{ bounds: { x: 0, y: 0, width: 10, height: 10 }, label: 'アンケート', action: { type: 'form', formId: 'draft-form' } }] });
    await expect(createMenu(deps, who, bad)).rejects.toThrow('領域1（アンケート）のフォーム「下書きのアンケート」は公開されていません。');
    const menu = await createMenu(deps, who, input());
    await updateMenu(deps, who, menu.menuId, { ...input({ name: '変更後' }), version: 1 });
    await expect(updateMenu(deps, who, menu.menuId, { ...input({ name: 'もう一度' }), version: 1 })).rejects.toBeInstanceOf(ConflictError);
  });

  it('takes an image of exactly the menu size, by its bytes, up to 1 MB', async () => {
    const deps = await harness();
    const menu = await createMenu(deps, who, input());
    await expect(uploadMenuImage(deps, who, menu.menuId, menuImage(2500, 1686))).rejects.toThrow(
      '画像の大きさは 2500×843 ピクセルにしてください（選んだ画像は 2500×1686）。',
    );
    await expect(uploadMenuImage(deps, who, menu.menuId, Buffer.from('GIF89a....'))).rejects.toThrow('JPEGまたはPNG');
    const png = menuImage(2500, 843);
    const saved = await uploadMenuImage(deps, who, menu.menuId, png);
    expect(saved.image).toMatchObject({ contentType: 'image/png', bytes: png.length });
    expect(await deps.blobs.get(saved.image!.key)).toEqual(png);
    await expect(updateMenu(deps, who, menu.menuId, { ...input({ size: 'large' }), version: saved.version })).rejects.toThrow('大きさを変えられません');
  });
});

describe('scenario areas', () => {
  it('start only a published scenario: an unpublished or deleted one is refused when the menu is saved', async () => {
    const deps = await harness();
    const scenarios = new MemoryScenarios();
    scenarios.headers.set('01KA00000000000000000SC000', scenarioHeader('01KA00000000000000000SC000', 'ごみの出し方案内'));
    scenarios.headers.set('01KA00000000000000000SC001', scenarioHeader('01KA00000000000000000SC001', 'ごみの出し方案内', { publishedVersion: 1 }));
    const withScenario = (scenarioId: string) =>
      input({ areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, label: 'ごみ案内', action: { type: 'scenario', scenarioId } }] });
    const checked = { ...deps, scenarios };
    await expect(createMenu(checked, who, withScenario('01KA00000000000000000SC000'))).rejects.toThrow(
      '領域1（ごみ案内）：シナリオ「ごみの出し方案内」は公開されていません。公開してから選んでください。',
    );
    await expect(createMenu(checked, who, withScenario('01KA00000000000000000SC009'))).rejects.toThrow('領域1（ごみ案内）：始めるシナリオが見つかりません');
    const menu = await createMenu(checked, who, withScenario('01KA00000000000000000SC001'));
    expect(menu.areas[0]!.action).toEqual({ type: 'scenario', scenarioId: '01KA00000000000000000SC001' });
  });
});

describe('publishing', () => {
  it('makes the LINE menu with its actions, sets it as the default and deletes what it replaces', async () => {
    const deps = await harness();
    const first = await createMenu(deps, who, input());
    const withImage = await uploadMenuImage(deps, who, first.menuId, menuImage(2500, 843));
    await expect(publishMenu(deps, who, first.menuId, withImage.version - 1)).rejects.toBeInstanceOf(ConflictError);
    const published = await publishMenu(deps, who, first.menuId, withImage.version);
    expect(published).toMatchObject({ isDefault: true, changedSincePublish: false });
    const line = deps.platform.made.get(deps.platform.defaultId!)!;
    expect(line).toMatchObject({ size: { width: 2500, height: 843 }, chatBarText: 'メニュー', image: { contentType: 'image/png' } });
    expect(line.areas.map((a) => a.action)).toEqual([
      { type: 'message', label: 'ごみの出し方', text: 'ごみの出し方' },
      { type: 'uri', label: 'プロフィール登録', uri: 'https://liff.line.me/2000000000-LocalSim/forms/profile' },
      { type: 'uri', label: '市のホームページ', uri: 'https://www.city.arao.lg.jp/' },
    ]);

    // An edit waits for the next publish; publishing again replaces the LINE menu.
    const edited = await updateMenu(deps, who, first.menuId, { ...input({ chatBarText: '市のメニュー' }), version: published.version });
    expect(edited.changedSincePublish).toBe(true);
    const firstLineId = deps.platform.defaultId;
    await publishMenu(deps, who, first.menuId, edited.version);
    expect(deps.platform.defaultId).not.toBe(firstLineId);
    expect(deps.platform.made.has(firstLineId!)).toBe(false);

    // Another menu published: the first stops being the default and its LINE menu goes.
    const second = await createMenu(deps, who, input({ name: '災害時メニュー', chatBarText: '災害情報' }));
    const secondReady = await uploadMenuImage(deps, who, second.menuId, menuImage(2500, 843));
    await publishMenu(deps, who, second.menuId, secondReady.version);
    expect(deps.platform.made.size).toBe(1);
    expect((await deps.richMenus.get(first.menuId))!.isDefault).toBe(false);
    expect(deps.audit.entries.filter((e) => e.action === 'richmenu.published')).toHaveLength(3);
  });

  it('changes nothing when LINE fails half-way, and refuses a menu without image or areas', async () => {
    const deps = await harness();
    const menu = await createMenu(deps, who, input());
    await expect(publishMenu(deps, who, menu.menuId, 1)).rejects.toThrow('画像をアップロードしてから');
    const ready = await uploadMenuImage(deps, who, menu.menuId, menuImage(2500, 843));
    deps.platform.failNext = 'setDefault';
    await expect(publishMenu(deps, who, menu.menuId, ready.version)).rejects.toThrow('LINE answered 500');
    expect(deps.platform.made.size).toBe(0);
    expect((await deps.richMenus.get(menu.menuId))!).toMatchObject({ isDefault: false, version: ready.version });
    const noAreas = await updateMenu(deps, who, menu.menuId, { ...input({ areas: [] }), version: ready.version });
    await expect(publishMenu(deps, who, menu.menuId, noAreas.version)).rejects.toThrow('タップ領域を1つ以上');
  });

  it('loses to a publish that committed first: LINE back to the winner, its own LINE menu deleted, nothing changed', async () => {
    const deps = await harness();
    const a = await createMenu(deps, who, input({ name: 'A' }));
    const b = await createMenu(deps, who, input({ name: 'B' }));
    const aReady = await uploadMenuImage(deps, who, a.menuId, menuImage(2500, 843));
    const bReady = await uploadMenuImage(deps, who, b.menuId, menuImage(2500, 843));
    // B's publish commits while A's is between LINE's switch and its own commit.
    deps.richMenus.beforeCommit = () => publishMenu(deps, who, b.menuId, bReady.version);
    await expect(publishMenu(deps, who, a.menuId, aReady.version)).rejects.toThrow('ほかの職員が同時にメニューを公開または変更しました');
    const pointer = (await deps.richMenus.defaultPointer())!;
    expect(pointer.menuId).toBe(b.menuId);
    expect(deps.platform.defaultId).toBe(pointer.lineRichMenuId);
    expect([...deps.platform.made.keys()]).toEqual([pointer.lineRichMenuId]);
    expect((await deps.richMenus.get(a.menuId))!).toMatchObject({ isDefault: false, version: aReady.version });
    expect(deps.audit.entries.filter((e) => e.action === 'richmenu.published').map((e) => e.target)).toEqual([`richmenu:${b.menuId}`]);
  });

  it('unpublishes (no default on LINE) before a menu can be deleted', async () => {
    const deps = await harness();
    const menu = await createMenu(deps, who, input());
    const ready = await uploadMenuImage(deps, who, menu.menuId, menuImage(2500, 843));
    const published = await publishMenu(deps, who, menu.menuId, ready.version);
    await expect(deleteMenu(deps, who, menu.menuId, published.version)).rejects.toThrow('公開中のメニューは削除できません');
    const off = await unpublishMenu(deps, who, menu.menuId, published.version);
    expect(deps.platform.defaultId).toBeUndefined();
    expect(deps.platform.made.size).toBe(0);
    expect(off.lineRichMenuId).toBeUndefined();
    await deleteMenu(deps, who, menu.menuId, off.version);
    expect(deps.richMenus.menus.size).toBe(0);
  });

  it("a scenario area is a postback that starts the scenario, its name shown as the friend's message", () => {
    const base = input();
    const menu = {
      ...base,
      areas: [{ ...base.areas[0]!, label: 'ごみ案内', action: { type: 'scenario' as const, scenarioId: '01KA00000000000000000SC000' } }],
      menuId: 'm',
      isDefault: false,
      createdAt: '',
      createdBy: '',
      updatedAt: '',
      updatedBy: '',
      version: 1,
    };
    expect(toLineRichMenu(menu, undefined).areas[0]!.action).toEqual({
      type: 'postback',
      label: 'ごみ案内',
      data: 'scenario:01KA00000000000000000SC000',
      displayText: 'ごみ案内',
    });
  });

  it('cannot publish a form area without the LIFF app', () => {
    const menu = { ...input(), menuId: 'm', isDefault: false, createdAt: '', createdBy: '', updatedAt: '', updatedBy: '', version: 1 };
    expect(() => toLineRichMenu(menu, undefined)).toThrow(ValidationError);
  });
});
