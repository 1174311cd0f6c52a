/**
 * The citizen's side of the 1:1 chat (functions/chat/citizen-chat.ts): asking for a person by the
 * `chat:request` postback (inside and outside office hours, in the friend's language, again while
 * open), every message going to staff while the chat is open (recorded on the thread, an older one
 * never over a newer one), the bot answering again once it is closed, the dispatcher's order
 * (chat → scenario → keyword → default), a keyword rule that hands off, and the webhook pipeline
 * keeping an open chat's reply token and 既読 token for staff.
 */
import { ChatDesk, keywordHandoff, previewOf, scenarioHandoff } from '../../../functions/chat/citizen-chat';
import { CHAT_REQUEST_POSTBACK, REPLY_TOKEN_MS } from '../../../functions/chat/model';
import { CHAT_TEXTS, whenText } from '../../../functions/chat/texts';
import { CachedKeywordRules } from '../../../functions/keywords/rule-cache';
import { keywordResponder } from '../../../functions/keywords/responder';
import { createRuleBody } from '../../../functions/keywords/schemas';
import { createRule, type StaffKeywordsDeps } from '../../../functions/keywords/staff-keywords';
import type { LineMessage } from '../../../functions/ports/line-gateway';
import type { Lang } from '../../../functions/shared/languages';
import type { SignedIn } from '../../../functions/staff/context';
import { Dispatcher, type InboundMessage, type Responder } from '../../../functions/webhook/dispatcher';
import { processWebhookEvent } from '../../../functions/webhook/process-event';
import { createMenuBody } from '../../../functions/richmenus/schemas';
import { menuPicture, toLineRichMenu } from '../../../functions/richmenus/staff-richmenus';
import type { QueuedEvent } from '../../../functions/webhook/schema';
import { MemoryAudit } from '../../support/admin-fakes';
import { MemoryChatSettings, MemoryChatThreads, OPEN_PREVIEW } from '../../support/chat-fakes';
import { FakeClock, FakeLine, MemoryConversations, MemoryFriends, MemoryLedger } from '../../support/fakes';
import { MemoryKeywordHits, MemoryKeywordRules, MemoryUnanswered } from '../../support/keyword-fakes';

const USER = 'U0123456789abcdef0123456789abcdef';
const OTHER = 'Ufedcba9876543210fedcba9876543210';
/** Monday 2026-12-07 10:00 Japan time: office hours. */
const MONDAY_10 = new Date('2026-12-07T01:00:00Z');
/** Saturday 2026-12-12 10:00 Japan time: the office opens again on Monday 12-14 8:30. */
const SATURDAY_10 = new Date('2026-12-12T01:00:00Z');

const texts = (messages: LineMessage[] | null) => (messages ?? []).map((m) => (m.type === 'text' ? m.text : `(${m.type})`));

async function setup(options: { now?: Date; language?: string } = {}) {
  const clock = new FakeClock(options.now ?? MONDAY_10);
  const friends = new MemoryFriends();
  await friends.recordFollow({
    userId: USER,
    displayName: '荒尾 花子',
    pictureUrl: 'https://profile.line-scdn.net/hanako',
    language: options.language ?? 'ja',
    eventAt: Date.parse('2026-11-01T00:00:00Z'),
    at: new Date('2026-11-01T00:00:00Z'),
  });
  const conversations = new MemoryConversations();
  const threads = new MemoryChatThreads(friends);
  const settings = new MemoryChatSettings();
  const desk = new ChatDesk({ threads, settings, conversations, friends, clock });
  const responder = desk.responder();
  let n = 0;
  /** A message as the webhook consumer hands it over: with the friend as read for this event. */
  const message = async (over: Partial<InboundMessage> = {}): Promise<InboundMessage> => {
    n += 1;
    const friend = await friends.get(over.userId ?? USER);
    return {
      userId: USER,
      messageId: `60000000000000${n}`,
      at: clock.now(),
      friend,
      language: (friend?.language as Lang | undefined) ?? 'ja',
      kind: 'text',
      text: 'こんにちは',
      ...over,
    };
  };
  const request = async (over: Partial<InboundMessage> = {}) =>
    responder.respond(await message({ kind: 'postback', text: undefined, postbackData: CHAT_REQUEST_POSTBACK, ...over }));
  return { clock, friends, conversations, threads, settings, desk, responder, message, request };
}

describe('asking for a person (the chat:request postback)', () => {
  it('opens the chat inside office hours: the thread, the friend marked as chatting, a history line, and the "opened" answer', async () => {
    const { request, threads, friends, conversations, clock } = await setup();
    expect((await friends.get(USER))!.chatOpen).toBeUndefined();

    const answer = await request({ messageId: 'event-1' });

    expect(texts(answer)).toEqual([CHAT_TEXTS.ja.opened]);
    expect(texts(answer)[0]).toContain('市の職員におつなぎします');
    expect((await friends.get(USER))!.chatOpen).toBe(true);
    expect(await threads.get(USER)).toMatchObject({
      userId: USER,
      status: 'open',
      via: 'postback',
      outsideHours: false,
      language: 'ja',
      name: '荒尾 花子',
      pictureUrl: 'https://profile.line-scdn.net/hanako',
      openedAt: clock.now().toISOString(),
      requestedAt: clock.now().toISOString(),
      lastInboundAt: clock.now().toISOString(),
      preview: OPEN_PREVIEW,
    });
    expect(conversations.entries.filter((e) => e.kind === 'chat')).toEqual([
      { userId: USER, id: 'chat-event-1', at: clock.now(), direction: 'in', kind: 'chat', chatEvent: 'requested', outsideHours: false },
    ]);
  });

  it("answers in the friend's language", async () => {
    for (const language of ['en', 'ko', 'zh-Hant'] as const) {
      const { request, threads } = await setup({ language });
      expect(texts(await request())).toEqual([CHAT_TEXTS[language].opened]);
      expect((await threads.get(USER))!.language).toBe(language);
    }
    const { request } = await setup({ language: 'en' });
    expect(texts(await request())[0]).toContain('connecting you to city staff');
  });

  it('outside office hours still opens it, and says when staff answer (the next opening, in Japan time)', async () => {
    const { request, threads, conversations } = await setup({ now: SATURDAY_10 });
    const [text] = texts(await request());
    expect(text).toContain('受付時間外');
    expect(text).toContain('12月14日');
    expect(text).toContain('8:30');
    expect(text).toBe(CHAT_TEXTS.ja.outside(whenText('ja', new Date('2026-12-13T23:30:00Z'))));
    expect(await threads.get(USER)).toMatchObject({ status: 'open', outsideHours: true });
    expect(conversations.entries.find((e) => e.kind === 'chat')).toMatchObject({ chatEvent: 'requested', outsideHours: true });
  });

  it('outside hours over the new year: 12-28 17:30 names 1月4日 8:30; in English too', async () => {
    const late = new Date('2026-12-28T08:30:00Z'); // Monday 17:30 Japan time
    const ja = texts(await (await setup({ now: late })).request())[0]!;
    expect(ja).toContain('1月4日');
    expect(ja).toContain('8:30');
    const en = texts(await (await setup({ now: late, language: 'en' })).request())[0]!;
    expect(en).toContain('Jan 4');
    expect(en).toContain('8:30 AM');
  });

  it('follows the saved office hours (off: always the "opened" answer)', async () => {
    const { settings, request } = await setup({ now: SATURDAY_10 });
    settings.stored = { ...(await settings.settings()), officeHours: { ...(await settings.settings()).officeHours, enabled: false }, rev: 1 };
    expect(texts(await request())).toEqual([CHAT_TEXTS.ja.opened]);
  });

  it('while the chat is open, another request answers "already" and writes no second history line', async () => {
    const { request, threads, conversations, clock } = await setup();
    await request();
    const before = (await threads.get(USER))!;
    clock.current = new Date(clock.current.getTime() + 60_000);
    expect(texts(await request())).toEqual([CHAT_TEXTS.ja.already]);
    const after = (await threads.get(USER))!;
    expect(after.requestedAt).toBe(clock.now().toISOString());
    expect(after.openedAt).toBe(before.openedAt);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(conversations.entries.filter((e) => e.kind === 'chat')).toHaveLength(1);
  });

  it('says nothing and opens nothing for someone who is not a registered friend', async () => {
    const { request, threads } = await setup();
    expect(await request({ userId: OTHER, friend: null })).toEqual([]);
    expect(await threads.get(OTHER)).toBeNull();
  });
});

describe('while the chat is open', () => {
  it('takes every message with nothing to send and records it on the thread: preview, reply token, 既読 token', async () => {
    const { request, responder, message, threads, clock } = await setup();
    await request();
    const cases: [Partial<InboundMessage>, string][] = [
      [{ kind: 'text', text: '  住民票の\n取り方を  教えてください ' }, '住民票の 取り方を 教えてください'],
      [{ kind: 'image', text: undefined }, '［画像］'],
      [
        { kind: 'location', text: undefined, location: { latitude: 32.98, longitude: 130.43, address: '熊本県荒尾市宮内出目390' } },
        '［位置情報］熊本県荒尾市宮内出目390',
      ],
      [{ kind: 'sticker', text: undefined }, '［スタンプ］'],
    ];
    let i = 0;
    for (const [over, preview] of cases) {
      i += 1;
      clock.current = new Date(clock.current.getTime() + 10_000);
      const at = clock.now();
      expect(await responder.respond(await message({ ...over, at, replyToken: `reply-${i}`, readToken: `read-${i}` }))).toEqual([]);
      expect(await threads.get(USER)).toMatchObject({
        preview,
        lastInboundAt: at.toISOString(),
        lastAt: at.toISOString(),
        replyToken: `reply-${i}`,
        replyUntil: at.getTime() + REPLY_TOKEN_MS,
        readToken: `read-${i}`,
      });
    }
  });

  it('a message without a reply token leaves no older token behind; one without a 既読 token keeps the last one', async () => {
    const { request, responder, message, threads, clock } = await setup();
    await request();
    await responder.respond(await message({ replyToken: 'reply-1', readToken: 'read-1' }));
    clock.current = new Date(clock.current.getTime() + 1_000);
    expect(await responder.respond(await message({ kind: 'postback', text: undefined, postbackData: 'action=menu', at: clock.now() }))).toEqual([]);
    const t = (await threads.get(USER))!;
    expect(t.replyToken).toBeUndefined();
    expect(t.replyUntil).toBeUndefined();
    expect(t.readToken).toBe('read-1');
    expect(t.preview).toBe('［ボタンを押しました］');
  });

  it('an older message arriving late (LINE keeps no order) is taken but does not overwrite the newer one', async () => {
    const { request, responder, message, threads, clock } = await setup();
    await request();
    const newer = new Date(clock.now().getTime() + 20_000);
    const older = new Date(clock.now().getTime() + 10_000);
    await responder.respond(await message({ text: '二通目', at: newer, replyToken: 'reply-new', readToken: 'read-new' }));
    const seq = (await threads.get(USER))!.seq;
    expect(await responder.respond(await message({ text: '一通目', at: older, replyToken: 'reply-old', readToken: 'read-old' }))).toEqual([]);
    const t = (await threads.get(USER))!;
    expect(t).toMatchObject({ preview: '二通目', lastInboundAt: newer.toISOString(), replyToken: 'reply-new', readToken: 'read-new' });
    expect(t.seq).toBe(seq);
  });

  it('a friend without an open chat passes to the next responder; after closing, messages pass again', async () => {
    const { request, responder, message, threads, clock } = await setup();
    expect(await responder.respond(await message())).toBeNull();
    await request();
    expect(await responder.respond(await message())).toEqual([]);
    expect(await threads.close(USER, clock.now().toISOString(), 'soudan01')).toBe('closed');
    const friend = await message();
    expect(friend.friend!.chatOpen).toBeUndefined();
    expect(await responder.respond(friend)).toBeNull();
  });

  it('closed between reading the friend and recording the message: the bot answers it', async () => {
    const { request, responder, message, threads, clock } = await setup();
    await request();
    const stale = await message(); // read while open
    await threads.close(USER, clock.now().toISOString(), 'soudan01');
    expect(stale.friend!.chatOpen).toBe(true);
    expect(await responder.respond(stale)).toBeNull();
  });

  it('a request after closing opens the same thread again (a new opening, a second history line)', async () => {
    const { request, threads, conversations, clock } = await setup();
    await request({ messageId: 'event-1' });
    await threads.close(USER, clock.now().toISOString(), 'soudan01');
    clock.current = new Date(clock.current.getTime() + 3_600_000);
    expect(texts(await request({ messageId: 'event-2' }))).toEqual([CHAT_TEXTS.ja.opened]);
    const t = (await threads.get(USER))!;
    expect(t).toMatchObject({ status: 'open', openedAt: clock.now().toISOString() });
    expect(t.closedAt).toBeUndefined();
    expect(conversations.entries.filter((e) => e.kind === 'chat').map((e) => e.id)).toEqual(['chat-event-1', 'chat-event-2']);
  });
});

describe('a block ends the chat', () => {
  it('closes an open chat (the friend back with the bot on a later follow) with one history line; nothing when none is open', async () => {
    const { request, threads, friends, conversations, desk, clock } = await setup();
    await desk.onBlocked(USER, clock.now(), 'unfollow-0');
    expect(conversations.entries).toEqual([]);
    await request({ messageId: 'event-1' });
    await desk.onBlocked(USER, clock.now(), 'unfollow-1');
    expect(await threads.get(USER)).toMatchObject({ status: 'closed', closedBy: 'system' });
    expect((await friends.get(USER))!.chatOpen).toBeUndefined();
    expect(conversations.entries.filter((e) => e.chatEvent === 'blocked').map((e) => e.id)).toEqual(['chat-unfollow-1']);
    await desk.onBlocked(USER, clock.now(), 'unfollow-1');
    expect(conversations.entries.filter((e) => e.chatEvent === 'blocked')).toHaveLength(1);
  });
});

describe('previewOf', () => {
  it('cuts a long text to 80 characters and names the other kinds', () => {
    expect(previewOf({ kind: 'text', text: 'あ'.repeat(200) })).toHaveLength(80);
    expect(previewOf({ kind: 'video' })).toBe('［動画］');
    expect(previewOf({ kind: 'audio' })).toBe('［音声］');
    expect(previewOf({ kind: 'file' })).toBe('［ファイル］');
    expect(previewOf({ kind: 'location', location: { latitude: 1, longitude: 2 } })).toBe('［位置情報］');
  });
});

describe('the dispatcher order: chat → scenario → keyword → default', () => {
  async function dispatching() {
    const s = await setup();
    const asked: string[] = [];
    const passing = (name: string): Responder => ({
      name,
      respond: async () => {
        asked.push(name);
        return null;
      },
    });
    const fallback: Responder = {
      name: 'default-reply',
      respond: async () => {
        asked.push('default-reply');
        return [{ type: 'text', text: '既定の返事' }];
      },
    };
    const dispatcher = new Dispatcher([s.responder, passing('scenario'), passing('keyword')], fallback);
    return { ...s, asked, dispatcher };
  }

  it('without an open chat, asks the scenario, then the keyword rules, then the default reply', async () => {
    const { dispatcher, message, asked } = await dispatching();
    const result = await dispatcher.dispatch(await message({ text: 'ごみの日' }));
    expect(result).toEqual({ responder: 'default-reply', messages: [{ type: 'text', text: '既定の返事' }] });
    expect(asked).toEqual(['scenario', 'keyword', 'default-reply']);
  });

  it('a request is the chat’s before anyone else is asked; while open, the others are never asked', async () => {
    const { dispatcher, message, asked } = await dispatching();
    const requested = await dispatcher.dispatch(await message({ kind: 'postback', text: undefined, postbackData: CHAT_REQUEST_POSTBACK }));
    expect(requested.responder).toBe('chat');
    for (const over of [
      { text: 'ごみの日' },
      { kind: 'image' as const, text: undefined },
      { kind: 'postback' as const, text: undefined, postbackData: 'scenario:start:X' },
    ]) {
      expect(await dispatcher.dispatch(await message(over))).toEqual({ responder: 'chat', messages: [] });
    }
    expect(asked).toEqual([]);
  });

  it('after closing, the bot is asked again in order', async () => {
    const { dispatcher, message, asked, threads, clock } = await dispatching();
    await dispatcher.dispatch(await message({ kind: 'postback', text: undefined, postbackData: CHAT_REQUEST_POSTBACK }));
    await threads.close(USER, clock.now().toISOString(), 'soudan01');
    expect((await dispatcher.dispatch(await message())).responder).toBe('default-reply');
    expect(asked).toEqual(['scenario', 'keyword', 'default-reply']);
  });
});

describe('hand-offs', () => {
  const who = { account: { loginId: 'kikaku01', role: 'general', permissions: ['keywords'] }, ip: '192.0.2.1' } as unknown as SignedIn;

  async function withRule(handoff: boolean, now?: Date) {
    const s = await setup(now ? { now } : {});
    const deps = {
      audit: new MemoryAudit(),
      clock: s.clock,
      keywordRules: new MemoryKeywordRules(),
      keywordHits: new MemoryKeywordHits(),
      unanswered: new MemoryUnanswered(),
      media: { get: async () => null },
    } as unknown as StaffKeywordsDeps & { keywordRules: MemoryKeywordRules; keywordHits: MemoryKeywordHits; audit: MemoryAudit };
    const rule = await createRule(
      deps,
      who,
      createRuleBody.parse({
        name: '相談',
        match: 'contains',
        patterns: ['相談したい'],
        priority: 100,
        enabled: true,
        replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'ご相談ですね。' }] }],
        ...(handoff ? { handoff: true } : {}),
      }),
    );
    const keyword = keywordResponder({
      rules: new CachedKeywordRules({ keywordRules: deps.keywordRules }, 3_000, () => 0),
      keywordHits: deps.keywordHits,
      clock: s.clock,
      publicBaseUrl: 'https://civic-line.example',
      handoff: keywordHandoff(s.desk),
    });
    const dispatcher = new Dispatcher([s.responder, keyword], { name: 'default-reply', respond: async () => [{ type: 'text', text: '既定の返事' }] });
    return { ...s, deps, rule, keyword, dispatcher };
  }

  it('a keyword rule with hand-off answers its reply, then the chat’s answer, and the chat is open (via keyword)', async () => {
    const { dispatcher, message, threads, friends, conversations, rule, deps } = await withRule(true);
    expect(rule.handoff).toBe(true);
    expect(deps.audit.entries[0]!.after).toMatchObject({ handoff: '職員との1:1チャットにつなぐ' });
    const result = await dispatcher.dispatch(await message({ text: '子育てについて相談したい', messageId: '600000000000777' }));
    expect(result.responder).toBe('keyword');
    expect(texts(result.messages)).toEqual(['ご相談ですね。', CHAT_TEXTS.ja.opened]);
    expect(await threads.get(USER)).toMatchObject({ status: 'open', via: 'keyword', name: '荒尾 花子' });
    expect((await friends.get(USER))!.chatOpen).toBe(true);
    expect(conversations.entries.find((e) => e.kind === 'chat')).toMatchObject({ id: 'chat-600000000000777', chatEvent: 'requested' });
    // From now on the chat takes the messages, the keyword's word included.
    expect(await dispatcher.dispatch(await message({ text: '相談したい' }))).toEqual({ responder: 'chat', messages: [] });
  });

  it('the hand-off event retried (its answer failed) answers the same again; the inbox shows what the citizen wrote', async () => {
    const { dispatcher, message, threads, conversations } = await withRule(true);
    const first = await message({ text: '子育てについて相談したい', messageId: '600000000000888' });
    expect(texts((await dispatcher.dispatch(first)).messages)).toEqual(['ご相談ですね。', CHAT_TEXTS.ja.opened]);
    const again = await message({ text: '子育てについて相談したい', messageId: '600000000000888' });
    const retried = await dispatcher.dispatch(again);
    expect(retried.responder).toBe('keyword');
    expect(texts(retried.messages)).toEqual(['ご相談ですね。', CHAT_TEXTS.ja.opened]);
    // Written again under the same key (the table's item is overwritten: one line in the history).
    expect(new Set(conversations.entries.filter((e) => e.kind === 'chat').map((e) => e.id))).toEqual(new Set(['chat-600000000000888']));
    expect(await threads.get(USER)).toMatchObject({ preview: '子育てについて相談したい', openEventId: '600000000000888' });
  });

  it('outside office hours the hand-off says when staff answer', async () => {
    const { dispatcher, message } = await withRule(true, SATURDAY_10);
    const [, chat] = texts((await dispatcher.dispatch(await message({ text: '相談したい' }))).messages);
    expect(chat).toContain('12月14日');
    expect(chat).toContain('8:30');
  });

  it('a rule without hand-off only replies and opens nothing', async () => {
    const { dispatcher, message, threads, friends } = await withRule(false);
    expect(texts((await dispatcher.dispatch(await message({ text: '相談したい' }))).messages)).toEqual(['ご相談ですね。']);
    expect(await threads.get(USER)).toBeNull();
    expect((await friends.get(USER))!.chatOpen).toBeUndefined();
  });

  it("a scenario's hand-off opens the chat with the friend's name read from the friends (via scenario)", async () => {
    const { desk, threads, conversations, clock } = await setup();
    const answer = await scenarioHandoff(desk)({ userId: USER, language: 'ja', at: clock.now(), scenarioId: 'S1', eventId: 'RUN1#e3' });
    expect(texts(answer)).toEqual([CHAT_TEXTS.ja.opened]);
    expect(await threads.get(USER)).toMatchObject({ status: 'open', via: 'scenario', name: '荒尾 花子', pictureUrl: 'https://profile.line-scdn.net/hanako' });
    expect(conversations.entries.find((e) => e.kind === 'chat')).toMatchObject({ id: 'chat-RUN1#e3' });
  });
});

describe('the rich-menu area 「職員と話す」', () => {
  it('is saved as {type: chat} and goes to LINE as the chat:request postback, its name shown as the friend’s message', async () => {
    const input = createMenuBody.parse({
      name: '通常メニュー',
      chatBarText: 'メニュー',
      size: 'compact',
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, label: '職員と話す', action: { type: 'chat' } }],
    });
    expect(input.areas[0]!.action).toEqual({ type: 'chat' });
    const menu = { ...input, menuId: 'm', isDefault: false, createdAt: '', createdBy: '', updatedAt: '', updatedBy: '', version: 1 };
    const action = toLineRichMenu(menu, undefined).areas[0]!.action;
    expect(action).toEqual({ type: 'postback', label: '職員と話す', data: CHAT_REQUEST_POSTBACK, displayText: '職員と話す' });
    expect(JSON.stringify(menuPicture(menu))).toContain('職員との1:1チャット');
    // Pressed, it is a request for a person.
    const { request, threads } = await setup();
    expect(texts(await request({ postbackData: (action as { data: string }).data }))).toEqual([CHAT_TEXTS.ja.opened]);
    expect((await threads.get(USER))!.status).toBe('open');
  });
});

describe('through the webhook pipeline', () => {
  let seq = 0;
  const queued = (type: string, extra: Record<string, unknown>, timestamp: number): QueuedEvent => {
    seq += 1;
    return {
      destination: 'Ubot',
      receivedAt: new Date(timestamp).toISOString(),
      event: {
        type,
        mode: 'active',
        timestamp,
        source: { type: 'user', userId: USER },
        webhookEventId: `01JCHAT${String(seq).padStart(19, '0')}`,
        deliveryContext: { isRedelivery: false },
        replyToken: `token-${seq}`,
        ...extra,
      },
    } as QueuedEvent;
  };

  it('a request is answered with the reply token; then a message is not answered, its tokens kept for staff', async () => {
    const s = await setup();
    const line = new FakeLine();
    const deps = {
      ledger: new MemoryLedger(),
      friends: s.friends,
      conversations: s.conversations,
      line,
      dispatcher: new Dispatcher([s.responder], { name: 'default-reply', respond: async () => [{ type: 'text' as const, text: '既定の返事' }] }),
      clock: s.clock,
      cityName: '荒尾市',
    };
    const t0 = s.clock.now().getTime();
    const request = queued('postback', { postback: { data: CHAT_REQUEST_POSTBACK } }, t0);
    expect(await processWebhookEvent(deps, request)).toBe('processed');
    expect(line.replies).toEqual([{ replyToken: request.event.replyToken, messages: [{ type: 'text', text: CHAT_TEXTS.ja.opened }] }]);

    const written = queued(
      'message',
      { message: { id: '600000000000900', type: 'text', text: '道路に穴が開いています', markAsReadToken: 'mark-900' } },
      t0 + 5_000,
    );
    expect(await processWebhookEvent(deps, written)).toBe('processed');
    expect(line.replies).toHaveLength(1);
    expect(line.pushes).toEqual([]);
    expect(await s.threads.get(USER)).toMatchObject({
      preview: '道路に穴が開いています',
      replyToken: written.event.replyToken,
      replyUntil: t0 + 5_000 + REPLY_TOKEN_MS,
      readToken: 'mark-900',
    });
    // The citizen's message is in the history as every message is.
    expect(s.conversations.entries).toContainEqual(expect.objectContaining({ id: '600000000000900', direction: 'in', text: '道路に穴が開いています' }));
  });
});
