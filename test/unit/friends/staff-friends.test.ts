/**
 * The friends list and a friend's page (functions/friends/staff-friends.ts) on in-memory stores:
 * filters, a bounded read per request that goes on with its cursor, the user-ID search, a saved
 * segment as a filter, the latest answers per form, the conversation in pages, a file LINE no
 * longer keeps.
 */
import {
  conversation,
  friendPage,
  friendsQuery,
  LIST_BUDGET,
  listFriends,
  messageContent,
  type StaffFriendsDeps,
} from '../../../functions/friends/staff-friends';
import { InvalidCursorError } from '../../../functions/adapters/aws/cursor';
import type { FriendRow } from '../../../functions/friends/directory';
import { newForm } from '../../../functions/forms/form';
import { NotFoundError } from '../../../functions/shared/errors';
import { MemoryConversations } from '../../support/fakes';
import { MemoryContent, MemoryFriendDirectory } from '../../support/friend-fakes';
import { MemoryForms } from '../../support/form-fakes';
import type { Delivery } from '../../../functions/deliveries/model';
import { delivery } from '../../support/pipeline-fakes';

const uid = (i: number) => `U${i.toString(16).padStart(32, '0')}`;
const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();

function harness(rows: FriendRow[]) {
  const directory = new MemoryFriendDirectory();
  directory.rows = rows;
  const forms = new MemoryForms();
  const segments = new Map<string, unknown>();
  const deps: StaffFriendsDeps & { conversations: MemoryConversations; content: MemoryContent } = {
    directory,
    segments: { get: async (id: string) => (segments.get(id) as never) ?? null, list: async () => [...segments.values()] as never },
    audience: { answeredUsers: async (formId: string) => new Set([...forms.latestByKey.values()].filter((r) => r.formId === formId).map((r) => r.userId)) },
    conversations: new MemoryConversations(),
    forms,
    responses: forms,
    content: new MemoryContent(),
  };
  return { deps, forms, segments };
}

const city = (n: number): FriendRow[] =>
  Array.from({ length: n }, (_, i) => ({
    userId: uid(i),
    displayName: i % 10 === 0 ? `ｱﾗｵ 太郎${i}` : `市民${i}`,
    status: i % 7 === 0 ? 'blocked' : 'active',
    language: i % 5 === 0 ? 'en' : i % 11 === 0 ? 'th' : 'ja',
    followedAt: day(i),
    attributes: { district: i % 3 === 0 ? 'minato' : 'yotsuyama', categories: i % 4 === 0 ? ['disaster', 'events'] : ['events'] },
  }));

describe('the friends list', () => {
  it('lists newest first and filters by status, language, attributes and a name as typed (normalised)', async () => {
    const { deps } = harness(city(60));
    const all = await listFriends(deps, friendsQuery.parse({ limit: '5' }));
    expect(all.items.map((f) => f.userId)).toEqual([59, 58, 57, 56, 55].map(uid));
    expect(all.cursor).toBeDefined();
    const blocked = await listFriends(deps, friendsQuery.parse({ status: 'blocked' }));
    expect(blocked.items.map((f) => f.userId)).toEqual([56, 49, 42, 35, 28, 21, 14, 7, 0].map(uid));
    const other = await listFriends(deps, friendsQuery.parse({ language: 'other' }));
    expect(other.items.every((f) => f.language === 'th')).toBe(true);
    const disaster = await listFriends(deps, friendsQuery.parse({ categories: 'disaster', district: 'minato' }));
    expect(disaster.items.map((f) => f.userId)).toEqual([48, 36, 24, 12, 0].map(uid));
    const name = await listFriends(deps, friendsQuery.parse({ q: 'あらお' }));
    expect(name.items.map((f) => f.displayName)).toEqual([50, 40, 30, 20, 10, 0].map((i) => `ｱﾗｵ 太郎${i}`));
  });

  it('finds a user ID with one read, and refuses a cursor of another filter', async () => {
    const { deps } = harness(city(20));
    await expect(listFriends(deps, friendsQuery.parse({ q: uid(7) }))).resolves.toMatchObject({ items: [{ userId: uid(7) }], scanned: 1 });
    const first = await listFriends(deps, friendsQuery.parse({ limit: '3', status: 'active' }));
    await expect(listFriends(deps, friendsQuery.parse({ limit: '3', status: 'blocked', cursor: first.cursor }))).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it(`reads at most ${LIST_BUDGET} friends per request and goes on where it stopped`, async () => {
    const rows = city(LIST_BUDGET * 2 + 10);
    rows[5]!.displayName = '見つける 花子'; // near the end of the newest-first order
    const { deps } = harness(rows);
    const first = await listFriends(deps, friendsQuery.parse({ q: '見つける' }));
    expect(first).toMatchObject({ items: [], scanned: LIST_BUDGET });
    const second = await listFriends(deps, friendsQuery.parse({ q: '見つける', cursor: first.cursor }));
    expect(second).toMatchObject({ items: [], scanned: LIST_BUDGET });
    const third = await listFriends(deps, friendsQuery.parse({ q: '見つける', cursor: second.cursor }));
    expect(third.items.map((f) => f.displayName)).toEqual(['見つける 花子']);
    expect(third.cursor).toBeUndefined();
  });

  it('filters by a saved segment, form answers included', async () => {
    const { deps, forms, segments } = harness(city(12));
    segments.set('01KSEG0000000000000000000A', {
      segmentId: '01KSEG0000000000000000000A',
      rule: { match: 'all', conditions: [{ kind: 'answeredForm', formId: 'survey-1', answered: true }] },
    });
    for (const i of [3, 8]) {
      await forms.submit({
        response: { responseId: `r${i}`, formId: 'survey-1', version: 1, userId: uid(i), displayName: '', answers: {}, lang: 'ja', submittedAt: day(100 + i) },
      });
    }
    const answered = await listFriends(deps, friendsQuery.parse({ segmentId: '01KSEG0000000000000000000A' }));
    expect(answered.items.map((f) => f.userId)).toEqual([8, 3].map(uid));
    await expect(listFriends(deps, friendsQuery.parse({ segmentId: '01KSEG0000000000000000000B' }))).rejects.toThrow('セグメントが見つかりません');
  });
});

describe("a friend's page", () => {
  it("shows the friend's latest answer to each form, newest first, and the conversation in pages", async () => {
    const { deps, forms } = harness(city(3));
    const form = (formId: string, title: string) =>
      newForm({ formId, kind: 'survey', title: { ja: title }, items: [], by: 'seed', now: new Date('2026-11-01T00:00:00Z') });
    await forms.create(form('f-old', '防災アンケート'));
    await forms.create(form('f-new', '子育てアンケート'));
    await forms.submit({
      response: {
        responseId: 'a',
        formId: 'f-old',
        version: 1,
        userId: uid(1),
        displayName: '',
        answers: { q: 'a' },
        lang: 'ja',
        submittedAt: '2026-11-02T00:00:00Z',
      },
    });
    await forms.submit({
      response: {
        responseId: 'b',
        formId: 'f-new',
        version: 1,
        userId: uid(1),
        displayName: '',
        answers: { q: 'b' },
        lang: 'en',
        submittedAt: '2026-11-05T00:00:00Z',
      },
    });
    const page = await friendPage(deps, uid(1));
    expect(page.friend.userId).toBe(uid(1));
    expect(page.answers.map((a) => [a.title, a.lang])).toEqual([
      ['子育てアンケート', 'en'],
      ['防災アンケート', 'ja'],
    ]);
    await expect(friendPage(deps, uid(99))).rejects.toBeInstanceOf(NotFoundError);

    for (let i = 0; i < 5; i++) {
      await deps.conversations.append({
        userId: uid(1),
        id: `m${i}`,
        at: new Date(Date.UTC(2026, 11, 7, 0, i)),
        direction: i % 2 ? 'out' : 'in',
        kind: 'text',
        text: `メッセージ${i}\n2行目`,
      });
    }
    const first = await conversation(deps, uid(1), { limit: 3 });
    expect(first.items.map((e) => e.text?.split('\n')[0])).toEqual(['メッセージ4', 'メッセージ3', 'メッセージ2']);
    expect(first.items[0]!.at).toBe('2026-12-07T00:04:00.000Z');
    const second = await conversation(deps, uid(1), { limit: 3, cursor: first.cursor });
    expect(second.items.map((e) => e.id)).toEqual(['m1', 'm0']);
    expect(second.cursor).toBeUndefined();
  });

  it('shows a delivery the friend got with its content in the friend’s language, and a deleted one by a plain line', async () => {
    const { deps } = harness(city(6));
    const deliveries = new Map<string, Delivery>();
    deps.deliveries = { get: async (id: string) => deliveries.get(id) ?? null };
    deps.publicBaseUrl = 'https://line.city.arao.example/';
    deliveries.set(
      'D1',
      delivery({
        deliveryId: 'D1',
        title: '避難所の開設',
        variants: [
          {
            lang: 'ja',
            bubbles: [
              { type: 'text', text: '{name}さん、避難所を開設しました。' },
              { type: 'image', mediaId: 'M1' },
            ],
          },
          { lang: 'en', bubbles: [{ type: 'text', text: '{name}, shelters are open.' }] },
        ],
      }),
    );
    // uid(5) is an English speaker (city(): every fifth); uid(1) Japanese.
    for (const userId of [uid(5), uid(1)]) {
      await deps.conversations.append({
        userId,
        id: 'D1',
        at: new Date(Date.UTC(2026, 11, 7, 1)),
        direction: 'out',
        by: 'delivery',
        kind: 'messages',
        deliveryId: 'D1',
      });
      await deps.conversations.append({
        userId,
        id: 'D9',
        at: new Date(Date.UTC(2026, 11, 7, 2)),
        direction: 'out',
        by: 'delivery',
        kind: 'messages',
        deliveryId: 'D9',
      });
    }
    const en = await conversation(deps, uid(5), {});
    expect(en.items.map((e) => [e.id, e.text])).toEqual([
      ['D9', '（この配信は削除されました）'],
      ['D1', '避難所の開設'],
    ]);
    expect(en.items[1]!.messages).toEqual([{ type: 'text', text: '市民5, shelters are open.' }]);
    const ja = await conversation(deps, uid(1), {});
    expect(ja.items[1]!.messages).toEqual([
      { type: 'text', text: '市民1さん、避難所を開設しました。' },
      {
        type: 'image',
        originalContentUrl: 'https://line.city.arao.example/media/M1/original',
        previewImageUrl: 'https://line.city.arao.example/media/M1/preview',
      },
    ]);
  });

  it('gives an image from LINE, and says so when LINE no longer keeps it', async () => {
    const { deps } = harness(city(1));
    deps.content.files.set('123456', { contentType: 'image/jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff]) });
    await expect(messageContent(deps, '123456')).resolves.toMatchObject({ contentType: 'image/jpeg' });
    await expect(messageContent(deps, '999')).rejects.toThrow('LINEにこのファイルが残っていません');
    await expect(messageContent(deps, '../etc')).rejects.toBeInstanceOf(NotFoundError);
  });
});
