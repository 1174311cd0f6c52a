/** In-memory fakes of the staff console's ports and a harness around createAdminHandler, for unit tests. */
import { jstDayRange } from '../../functions/shared/japan-time';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AuditEntry, type AuditLog, type AuditPage, type AuditQuery } from '../../functions/audit/audit';
import { localContext } from '../../functions/adapters/local/lambda-context';
import { createAdminHandler, type AdminDeps } from '../../functions/admin/api';
import type { FriendDay, FriendStatsReader } from '../../functions/friends/friend-stats';
import { ScryptPasswordHasher } from '../../functions/staff/password';
import type { Session, SessionRepository, UnknownIdFailures } from '../../functions/staff/session';
import { newStaffAccount, type FunctionId, type Role, type StaffAccount, type StaffRepository } from '../../functions/staff/staff';
import { FakeClock } from './fakes';
import { MemoryBlobs, MemoryForms, MemoryUploads } from './form-fakes';
import { newForm } from '../../functions/forms/form';
import { memoryDeliveryDeps, seedDeliveryTargets, type MemoryDeliveryDeps } from './delivery-fakes';
import type { BridgeSettingsRepository, StoredBridgeSettings, StoredMailMessage } from '../../functions/disaster-mail/ports';
import type { DisasterMailRouteDeps } from '../../functions/admin/disaster-mail-routes';
import { MemoryReceivedMails } from './mail-fakes';
import { delivery, MemoryJsonQueue } from './pipeline-fakes';
import type { KeywordRouteDeps } from '../../functions/admin/keyword-routes';
import { MemoryKeywordHits, MemoryKeywordRules, MemoryUnanswered } from './keyword-fakes';
import type { FriendRouteDeps } from '../../functions/admin/friend-routes';
import { MemoryContent, MemoryFriendDirectory } from './friend-fakes';
import type { ScenarioRouteDeps } from '../../functions/admin/scenario-routes';
import { MemoryScenarioRuns, MemoryScenarios } from './scenario-fakes';
import { normalizeForMatch } from '../../functions/keywords/normalize';
import type { RichMenuRouteDeps } from '../../functions/admin/richmenu-routes';
import { FakeRichMenuPlatform, MemoryLinkStore, MemoryMenuSettings, MemoryRichMenus, menuImage } from './richmenu-fakes';
import type { RichMenu } from '../../functions/richmenus/model';
import { MemoryConversations, MemoryFriends } from './fakes';
import type { ChatRouteDeps } from '../../functions/admin/chat-routes';
import type { ReportRouteDeps } from '../../functions/admin/report-routes';
import { FakePush, MemoryReportSettings, MemoryReportStore, sampleReport, testSealer } from './report-fakes';
import { FakeChatLine, MemoryChatSettings, MemoryChatThreads, MemoryStaffMessages } from './chat-fakes';

export class MemoryStaff implements StaffRepository {
  accounts = new Map<string, StaffAccount>();
  async get(loginId: string) {
    const a = this.accounts.get(loginId);
    return a ? structuredClone(a) : null;
  }
  async create(account: StaffAccount) {
    if (this.accounts.has(account.loginId)) return 'exists' as const;
    this.accounts.set(account.loginId, structuredClone(account));
    return 'created' as const;
  }
  async save(account: StaffAccount) {
    const old = this.accounts.get(account.loginId);
    if (!old || old.version !== account.version - 1) return 'conflict' as const;
    this.accounts.set(account.loginId, structuredClone(account));
    return 'saved' as const;
  }
  async list() {
    return [...this.accounts.values()].map((a) => structuredClone(a));
  }
  async any() {
    return this.accounts.size > 0;
  }
}

/** Unknown-ID sign-in failures, keyed by the typed ID as the store's HMAC would be. */
export class MemoryUnknownIds implements UnknownIdFailures {
  entries = new Map<string, { failedAttempts: number; lockedUntil?: string }>();
  async lockedUntil(loginId: string, now: Date) {
    const until = this.entries.get(loginId.toLowerCase())?.lockedUntil;
    return until && Date.parse(until) > now.getTime() ? until : undefined;
  }
  async fail(loginId: string, now: Date, limit: number, lockMs: number) {
    const e = this.entries.get(loginId.toLowerCase()) ?? { failedAttempts: 0 };
    e.failedAttempts += 1;
    let locked: string | undefined;
    if (e.failedAttempts >= limit) {
      locked = e.lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      e.failedAttempts = 0;
    }
    this.entries.set(loginId.toLowerCase(), e);
    return locked;
  }
}

export class MemorySessions implements SessionRepository {
  sessions = new Map<string, Session>();
  async put(session: Session) {
    this.sessions.set(session.tokenHash, structuredClone(session));
  }
  async get(tokenHash: string) {
    const s = this.sessions.get(tokenHash);
    return s ? structuredClone(s) : null;
  }
  async delete(tokenHash: string) {
    this.sessions.delete(tokenHash);
  }
}

/** Same contract as the DynamoDB adapter; the cursor is an offset. */
export class MemoryAudit implements AuditLog {
  entries: AuditEntry[] = [];
  async append(entry: AuditEntry) {
    this.entries.push(structuredClone(entry));
  }
  async search(query: AuditQuery): Promise<AuditPage> {
    const { startIso, endIso } = jstDayRange(query.from, query.to);
    const matching = this.entries
      .filter((e) => e.at >= startIso && e.at <= endIso && (!query.actor || e.actor === query.actor) && (!query.action || e.action === query.action))
      .sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
    const offset = query.cursor ? Number(query.cursor) : 0;
    const items = matching.slice(offset, offset + query.limit);
    return offset + query.limit < matching.length ? { items, nextCursor: String(offset + query.limit) } : { items };
  }
}

export class StubFriendStats implements FriendStatsReader {
  days: FriendDay[] = [];
  async allDays() {
    return this.days;
  }
}

/** Low scrypt cost for unit tests only (production: functions/staff/password.ts PRODUCTION_SCRYPT). */
export const testHasher = new ScryptPasswordHasher({ logN: 10, r: 8, p: 1 });

export const GOOD_PASSWORD = 'Correct-horse-42-battery';
/** The citizen whose answer to `target-form` every harness has. */
export const TARGET_USER = `U${'0'.repeat(32)}`;

export interface Call {
  method?: string;
  path: string;
  /** JSON, a string as it is, or bytes (sent base64-encoded, as API Gateway passes binary bodies). */
  body?: unknown;
  token?: string;
  csrf?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export type Answer = APIGatewayProxyStructuredResultV2 & { json: any };

/** The bridge's settings item, conditional on the version as the table's store is. */
export class MemoryBridgeSettings implements BridgeSettingsRepository {
  stored: StoredBridgeSettings | null = null;
  async get() {
    return this.stored ? structuredClone(this.stored) : null;
  }
  async save(next: StoredBridgeSettings, expectedVersion: number) {
    if ((this.stored?.version ?? 0) !== expectedVersion) return 'conflict' as const;
    this.stored = structuredClone(next);
    return 'saved' as const;
  }
}

/** A held alert mail every harness has (its delivery a draft waiting for approval), for routes with :mailId. */
export const MAIL_TARGET = '01KA00000000000000000MA1H0';

function seedMailTarget(deps: DisasterMailRouteDeps & { mails: MemoryReceivedMails }, deliveries: Pick<MemoryDeliveryDeps['deliveries'], 'create'>): void {
  const at = deps.clock.now().toISOString();
  const content = {
    title: '【荒尾市】避難指示',
    category: '防災',
    variants: [{ lang: 'ja' as const, bubbles: [{ type: 'text' as const, text: '避難指示を発令しました。' }] }],
  };
  void deliveries.create(delivery({ deliveryId: MAIL_TARGET, ...content, status: 'draft', createdAt: at, updatedAt: at }));
  void deps.mailStore.put(`inbound/${MAIL_TARGET}.eml`, Buffer.from('From: bousai@city.arao.example\r\nSubject: test\r\n\r\nbody\r\n'), 'message/rfc822');
  void deps.mails.record(
    {
      mailId: MAIL_TARGET,
      receivedAt: at,
      source: 'mail',
      storageKey: `inbound/${MAIL_TARGET}.eml`,
      bytes: 60,
      attachments: [],
      from: 'bousai@city.arao.example',
      subject: content.title,
      text: '避難指示を発令しました。',
      decision: 'held',
      reason: '承認待ち',
      deliveryId: MAIL_TARGET,
      content,
      audienceLabel: '全員',
      hold: {},
      phrases: {},
    },
    { held: true },
  );
}

/** Rich menus every harness holds: one ready to publish, one published (routes with :menuId). */
export const RICHMENU_TARGET = '01KA00000000000000000RM000';
export const RICHMENU_PUBLISHED = '01KA00000000000000000RM001';
export const RICHMENU_AREAS: RichMenu['areas'] = [
  { bounds: { x: 0, y: 0, width: 1250, height: 843 }, label: 'ごみ', action: { type: 'keyword', text: 'ごみの出し方' } },
  { bounds: { x: 1250, y: 0, width: 1250, height: 843 }, label: '市のホームページ', action: { type: 'link', url: 'https://www.city.arao.lg.jp/' } },
];

function seedRichMenuTargets(menus: MemoryRichMenus, blobs: MemoryBlobs, now: Date): void {
  const at = now.toISOString();
  const base = {
    chatBarText: 'メニュー',
    size: 'compact' as const,
    selected: true,
    areas: RICHMENU_AREAS,
    createdAt: at,
    createdBy: 'seed',
    updatedAt: at,
    updatedBy: 'seed',
    version: 1,
  };
  const image = { key: 'richmenus/seed.png', contentType: 'image/png' as const, bytes: 100 };
  void blobs.put(image.key, menuImage(2500, 843));
  void menus.create({ ...base, menuId: RICHMENU_TARGET, name: '準備中のメニュー', image, isDefault: false });
  void menus.create({ ...base, menuId: RICHMENU_PUBLISHED, name: '公開中のメニュー', image, isDefault: true, lineRichMenuId: 'richmenu-seed' });
  menus.pointer = { menuId: RICHMENU_PUBLISHED, lineRichMenuId: 'richmenu-seed', version: 1 };
}

/** A friend's image message every harness holds (routes with :messageId). */
export const CONTENT_TARGET = '500000000000001';

/** The keyword rule every harness holds (routes with :ruleId). */
export const KEYWORD_TARGET = '01KA00000000000000000KW000';

function seedKeywordTarget(rules: MemoryKeywordRules, now: Date): void {
  const at = now.toISOString();
  void rules.create(
    {
      ruleId: KEYWORD_TARGET,
      name: 'ごみの出し方',
      match: 'contains',
      patterns: ['ごみ'],
      priority: 100,
      enabled: true,
      replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'ごみは分別して出してください。' }] }],
      createdAt: at,
      createdBy: 'seed',
      updatedAt: at,
      updatedBy: 'seed',
      version: 1,
    },
    1_000,
  );
}

/** Scenarios every harness holds (routes with :scenarioId): one saved (rev 2, version 1), one published (rev 3). */
export const SCENARIO_TARGET = '01KA00000000000000000SC000';
export const SCENARIO_PUBLISHED = '01KA00000000000000000SC001';
export const SCENARIO_DRAFT = {
  name: 'ごみの出し方案内',
  startWords: ['ごみ案内'],
  startStepId: 'kind',
  timeoutMinutes: 30,
  maxAttempts: 3,
  steps: [
    {
      stepId: 'kind',
      name: 'ごみの種類',
      messages: [{ type: 'text' as const, text: { ja: '何を出しますか？' } }],
      wait: {
        kind: 'choice' as const,
        display: 'quickReply' as const,
        saveAs: 'kind',
        choices: [
          { choiceId: 'burnable', label: { ja: '燃えるごみ' }, next: { to: 'end' as const } },
          { choiceId: 'large', label: { ja: '粗大ごみ' }, next: { to: 'end' as const } },
        ],
      },
    },
  ],
};

function seedScenarioTargets(store: MemoryScenarios, now: Date): void {
  const at = now.toISOString();
  for (const [scenarioId, published] of [
    [SCENARIO_TARGET, false],
    [SCENARIO_PUBLISHED, true],
  ] as const) {
    const words = published ? ['公開中の案内'] : SCENARIO_DRAFT.startWords;
    store.headers.set(scenarioId, {
      scenarioId,
      name: SCENARIO_DRAFT.name,
      startWords: published ? words : [],
      latestVersion: 1,
      ...(published ? { publishedVersion: 1 } : {}),
      versions: [{ version: 1, savedAt: at, savedBy: 'seed', steps: 1 }],
      createdAt: at,
      createdBy: 'seed',
      updatedAt: at,
      updatedBy: 'seed',
      rev: published ? 3 : 2,
    });
    const { steps, ...version } = SCENARIO_DRAFT;
    store.versions.set(`${scenarioId}|1`, { ...version, startWords: words, scenarioId, version: 1, stepsId: 'seed' });
    void store.putSteps(scenarioId, 1, 'seed', steps);
    if (published) store.words.set(normalizeForMatch(words[0]!), scenarioId);
  }
}

/** The report every harness holds (its stored photo: REPORT_PHOTO). */
export const REPORT_TARGET = sampleReport().reportId;
export const REPORT_PHOTO = sampleReport().photos[0]!.photoId;

/** A friend whose chat every harness has closed (routes that act on a closed conversation: reopen). */
export const CHAT_CLOSED_USER = `U${'0'.repeat(31)}1`;

/**
 * The 1:1 chat on in-memory stores, with an open conversation of TARGET_USER (a message with a
 * valid reply token and a 既読 token, unread) and a closed one of CHAT_CLOSED_USER; the chat's
 * history is the friends' (the same conversations).
 */
function memoryChatDeps(
  deps: { audit: MemoryAudit; clock: FakeClock; staff: MemoryStaff; deliveries: MemoryDeliveryDeps },
  history: FriendRouteDeps & { conversations: MemoryConversations },
) {
  const friends = new MemoryFriends();
  const threads = new MemoryChatThreads(friends);
  const now = deps.clock.now();
  const at = now.toISOString();
  for (const [userId, displayName] of [
    [TARGET_USER, '荒尾 花子'],
    [CHAT_CLOSED_USER, '荒尾 太郎'],
  ] as const) {
    friends.friends.set(userId, { userId, displayName, language: 'ja', status: 'active', statusEventAt: 0, updatedAt: at, seenEvents: [] });
  }
  const base = { openedAt: at, requestedAt: at, via: 'postback' as const, outsideHours: false, lastAt: at, lastInboundAt: at, language: 'ja' as const, seq: 3 };
  threads.seed({
    ...base,
    userId: TARGET_USER,
    status: 'open',
    name: '荒尾 花子',
    preview: '住民票の取り方を教えてください',
    replyToken: 'reply-target',
    replyUntil: now.getTime() + 50_000,
    readToken: 'read-target',
  });
  threads.seed({ ...base, userId: CHAT_CLOSED_USER, status: 'closed', name: '荒尾 太郎', closedAt: at, closedBy: 'seed' });
  return {
    audit: deps.audit,
    clock: deps.clock,
    friends,
    threads,
    settings: new MemoryChatSettings(),
    messages: new MemoryStaffMessages(history.conversations),
    conversations: history.conversations,
    line: new FakeChatLine(),
    staff: deps.staff,
    media: deps.deliveries.media,
    publicBaseUrl: 'https://civic-line.example',
    history,
  };
}

export function adminHarness(options: Pick<AdminDeps, 'allowedOrigins'> = {}) {
  const deps = {
    staff: new MemoryStaff(),
    sessions: new MemorySessions(),
    unknownIds: new MemoryUnknownIds(),
    audit: new MemoryAudit(),
    friendStats: new StubFriendStats(),
    hasher: testHasher,
    clock: new FakeClock(new Date('2026-11-24T01:00:00Z')),
    forms: undefined as unknown as MemoryForms,
    responses: undefined as unknown as MemoryForms,
    uploads: new MemoryUploads(),
    blobs: new MemoryBlobs(),
    csvDelivery: 'buffered' as const,
    deliveries: undefined as unknown as MemoryDeliveryDeps,
    disasterMail: undefined as unknown as DisasterMailRouteDeps & { bridgeSettings: MemoryBridgeSettings; mails: MemoryReceivedMails },
    keywords: undefined as unknown as KeywordRouteDeps & { keywordRules: MemoryKeywordRules; keywordHits: MemoryKeywordHits; unanswered: MemoryUnanswered },
    friends: undefined as unknown as FriendRouteDeps & { directory: MemoryFriendDirectory; conversations: MemoryConversations; content: MemoryContent },
    scenarios: undefined as unknown as ScenarioRouteDeps & { definitions: MemoryScenarios; results: MemoryScenarioRuns },
    chat: undefined as unknown as ChatRouteDeps & {
      threads: MemoryChatThreads;
      settings: MemoryChatSettings;
      messages: MemoryStaffMessages;
      line: FakeChatLine;
      friends: MemoryFriends;
    },
    reports: undefined as unknown as ReportRouteDeps & { reports: MemoryReportStore; settings: MemoryReportSettings; line: FakePush },
    richMenus: undefined as unknown as RichMenuRouteDeps & {
      richMenus: MemoryRichMenus;
      platform: FakeRichMenuPlatform;
      menuSettings: MemoryMenuSettings;
      links: MemoryLinkStore;
    },
    ...options,
  };
  deps.forms = deps.responses = new MemoryForms();
  // Deliveries, segments and recurring deliveries, with one target per state their routes act on.
  deps.deliveries = memoryDeliveryDeps(deps);
  seedDeliveryTargets(deps.deliveries);
  deps.disasterMail = {
    audit: deps.audit,
    clock: deps.clock,
    bridgeSettings: new MemoryBridgeSettings(),
    segments: deps.deliveries.segments,
    mails: new MemoryReceivedMails(),
    deliveries: deps.deliveries.deliveries,
    scheduler: deps.deliveries.scheduler,
    planner: deps.deliveries.planner,
    audience: deps.deliveries.audience,
    mailStore: new MemoryBlobs(),
    intake: new MemoryJsonQueue<StoredMailMessage>(),
  };
  seedMailTarget(deps.disasterMail, deps.deliveries.deliveries);
  deps.keywords = {
    audit: deps.audit,
    clock: deps.clock,
    keywordRules: new MemoryKeywordRules(),
    keywordHits: new MemoryKeywordHits(),
    unanswered: new MemoryUnanswered(),
    media: deps.deliveries.media,
    publicBaseUrl: 'https://civic-line.example',
  };
  seedKeywordTarget(deps.keywords.keywordRules, deps.clock.now());
  deps.friends = {
    directory: new MemoryFriendDirectory(),
    segments: deps.deliveries.segments,
    audience: deps.deliveries.audience,
    conversations: new MemoryConversations(),
    forms: deps.forms,
    responses: deps.forms,
    content: new MemoryContent(),
  };
  deps.friends.directory.rows.push({ userId: TARGET_USER, displayName: '荒尾 花子', status: 'active', followedAt: '2026-11-01T00:00:00.000Z', language: 'ja' });
  deps.chat = memoryChatDeps(deps, deps.friends);
  deps.reports = {
    audit: deps.audit,
    clock: deps.clock,
    reports: new MemoryReportStore(),
    settings: new MemoryReportSettings(),
    blobs: deps.blobs,
    line: new FakePush(),
    friends: deps.chat.friends,
    sealer: testSealer(),
    media: deps.deliveries.media,
    publicBaseUrl: 'https://civic-line.example',
  };
  {
    const target = sampleReport({ userId: TARGET_USER });
    deps.reports.reports.reports.set(target.reportId, target);
    void deps.blobs.put(target.photos[0]!.blobKey!, Buffer.from('jpeg'));
    void deps.blobs.put(target.photos[0]!.previewKey!, Buffer.from('jpeg'));
    // A second report to mark the target a duplicate of.
    const other = sampleReport({ reportId: '01KB0000000000000000000002', receiptNo: '2026-000002', userId: TARGET_USER });
    deps.reports.reports.reports.set(other.reportId, other);
  }
  deps.richMenus = {
    audit: deps.audit,
    clock: deps.clock,
    richMenus: new MemoryRichMenus(),
    platform: new FakeRichMenuPlatform(),
    blobs: deps.blobs,
    forms: deps.forms,
    liffId: '2000000000-LocalSim',
    menuSettings: new MemoryMenuSettings(),
    links: new MemoryLinkStore(),
    segments: deps.deliveries.segments,
    requestSync: async () => undefined,
  };
  seedRichMenuTargets(deps.richMenus.richMenus, deps.blobs, deps.clock.now());
  const scenarioStore = new MemoryScenarios();
  deps.scenarios = {
    audit: deps.audit,
    clock: deps.clock,
    definitions: scenarioStore,
    steps: scenarioStore,
    results: new MemoryScenarioRuns(),
    media: deps.deliveries.media,
    forms: deps.forms,
  };
  seedScenarioTargets(scenarioStore, deps.clock.now());
  deps.friends.content.files.set(CONTENT_TARGET, { contentType: 'image/png', bytes: Buffer.from('89504e470d0a1a0a', 'hex') });
  // A form and an upload every harness has, so routes with :formId / :uploadId have a target.
  void deps.forms.create(
    newForm({
      formId: 'target-form',
      kind: 'survey',
      title: { ja: '対象フォーム' },
      items: [{ itemId: 'q1', type: 'single', label: { ja: '質問' }, required: true, choices: [{ choiceId: 'a', label: { ja: 'A' } }] }],
      by: 'seed',
      now: new Date('2026-11-01T00:00:00Z'),
    }),
  );
  void deps.forms.submit({
    response: {
      responseId: 'target-response',
      formId: 'target-form',
      version: 1,
      userId: TARGET_USER,
      displayName: '回答 者',
      answers: { q1: 'a' },
      lang: 'ja',
      submittedAt: '2026-11-02T00:00:00.000Z',
    },
  });
  void deps.uploads.put({
    uploadId: 'target-upload',
    userId: 'U0',
    formId: 'target-form',
    itemId: 'q1',
    contentType: 'image/png',
    bytes: 1,
    blobKey: 'b/target',
    createdAt: '2026-11-01T00:00:00Z',
  });
  void deps.blobs.put('b/target', Buffer.from([1]));
  const handler = createAdminHandler(deps);

  async function call(c: Call): Promise<Answer> {
    const method = c.method ?? (c.body === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { host: 'console.example.jp', 'content-type': 'application/json', ...(c.headers ?? {}) };
    if (c.csrf) headers['x-csrf-token'] = c.csrf;
    const event = {
      version: '2.0',
      routeKey: 'ANY /api/admin/{proxy+}',
      rawPath: `/api/admin${c.path}`,
      rawQueryString: new URLSearchParams(c.query ?? {}).toString(),
      cookies: c.token ? [`cl_session=${c.token}`] : undefined,
      headers,
      queryStringParameters: c.query,
      pathParameters: { proxy: c.path.slice(1) },
      requestContext: {
        domainName: 'console.example.jp',
        http: { method, path: `/api/admin${c.path}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      },
      body:
        c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body.toString('base64') : typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
      isBase64Encoded: Buffer.isBuffer(c.body),
    } as unknown as APIGatewayProxyEventV2;
    const result = (await handler(event, localContext('admin-api', 10_000))) as APIGatewayProxyStructuredResultV2;
    let parsed: unknown;
    try {
      parsed = result.body ? JSON.parse(result.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { ...result, json: parsed };
  }

  async function seed(
    loginId: string,
    opts: { role?: Role; permissions?: FunctionId[]; password?: string; mustChangePassword?: boolean; displayName?: string } = {},
  ) {
    const account = newStaffAccount({
      loginId,
      displayName: opts.displayName ?? `職員 ${loginId}`,
      role: opts.role ?? 'general',
      permissions: opts.permissions ?? [],
      passwordHash: await testHasher.hash(opts.password ?? GOOD_PASSWORD),
      mustChangePassword: opts.mustChangePassword ?? false,
      now: deps.clock.now(),
    });
    await deps.staff.create(account);
    return account;
  }

  /** Signs in and returns the cookie token and CSRF token. */
  async function signIn(loginId: string, password = GOOD_PASSWORD, totp?: string) {
    const res = await call({ path: '/auth/login', body: { loginId, password, totp } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies?.[0] ?? '';
    return { token: cookie.split(';')[0].split('=')[1], csrf: res.json.csrfToken as string, cookie, res };
  }

  return { deps, call, seed, signIn, clock: deps.clock };
}

export const advance = (clock: FakeClock, ms: number) => {
  clock.current = new Date(clock.current.getTime() + ms);
};
