/**
 * 1:1 chat benchmark on the whole local runtime (a child process: DynamoDB Local, the webhook
 * consumer, the admin API, the simulator). Citizens ask for a person and write; per message, the
 * time from the citizen's send to the message in the staff inbox (GET /chat/inbox read every 50 ms
 * — the console itself polls every second, so staff see it up to a second later than this figure).
 * Staff replies: several staff members reply to different citizens at once; per reply, the time
 * from the POST to LINE (the simulator) accepting it — the POST returns once LINE answered, and the
 * simulator's `received` event is timed too. Targets: a reply accepted ≤ 1 s after sending; a
 * citizen's message in the inbox ≤ 2 s.
 */
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { CHAT_REQUEST_POSTBACK } from '../functions/chat/model';
import { replaceInitialPassword } from '../local/first-admin';
import { startRuntimeProcess } from '../local/runtime-process';
import { LineSimulatorClient } from '../simulator/client';
import { ConsoleClient } from '../test/integration/admin/console-client';
import { percentile } from './runtime';

export interface ChatBenchOptions {
  /** Citizens writing at once. */
  citizens: number;
  /** Messages each citizen sends, one after the other seen in the inbox. */
  messages: number;
  /** Staff members replying at once (each to its share of the citizens). */
  staff: number;
}

export interface ChatBenchResult {
  citizens: number;
  messages: number;
  staff: number;
  inboxP50Ms: number;
  inboxP99Ms: number;
  inboxMaxMs: number;
  replyP50Ms: number;
  replyP99Ms: number;
  replyMaxMs: number;
  replies: number;
  /** Messages never seen in the inbox within 10 s, replies that failed or never reached the simulator. */
  lost: number;
  /** Replies the simulator got more than once. */
  doubled: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChatBench(options: ChatBenchOptions): Promise<ChatBenchResult> {
  const rt = await startRuntimeProcess();
  const ready = rt as unknown as { initialAdmin: { loginId: string; password: string } };
  try {
    const admin = new ConsoleClient(rt.platform);
    const password = await replaceInitialPassword(rt.platform, ready.initialAdmin);
    if ((await admin.signIn(ready.initialAdmin.loginId, password)).status !== 200) throw new Error('sign-in failed');
    const settings = await admin.call('GET', '/chat/settings');
    await admin.call('PUT', '/chat/settings', { officeHours: { ...settings.body.officeHours, enabled: false }, markAsRead: true, rev: settings.body.rev });
    // Staff sessions: the admin's own, signed in again (one session per "staff member").
    const staff: ConsoleClient[] = [];
    for (let i = 0; i < options.staff; i++) {
      const s = new ConsoleClient(rt.platform);
      if ((await s.signIn(ready.initialAdmin.loginId, password)).status !== 200) throw new Error('staff sign-in failed');
      staff.push(s);
    }

    const sim = new LineSimulatorClient(rt.simulator);
    const userIds: string[] = [];
    for (let i = 0; i < options.citizens; i++) userIds.push((await sim.createCitizen({ displayName: `相談者${i + 1}` })).citizen.userId);
    for (const userId of userIds) await sim.waitForReceived(userId, (m) => m.length >= 1, 30_000);
    for (const userId of userIds) await sim.sendPostback(userId, CHAT_REQUEST_POSTBACK, { displayText: '職員と話す' });
    // The chat's answer itself (the greeting may be two messages): a text sent before the chat is open would go to the bot.
    for (const userId of userIds) await sim.waitForReceived(userId, (m) => m.some((r) => String(r.message.text ?? '').includes('おつなぎします')), 30_000);

    // Citizens write; each message is timed until the inbox shows it (its preview). One reader of the
    // inbox every 50 ms for everyone, as one staff member's console would (many pollers would measure
    // the benchmark's own load on the two cores instead).
    const inbox: number[] = [];
    let lost = 0;
    const waiting = new Map<string, { text: string; sent: number; done: (seen: boolean) => void }>();
    let writing = true;
    const watcher = (async () => {
      while (writing || waiting.size > 0) {
        const open = await admin.call('GET', '/chat/inbox?view=open');
        const now = performance.now();
        for (const t of open.body.items as { userId: string; preview?: string }[]) {
          const w = waiting.get(t.userId);
          if (w && t.preview === w.text) {
            waiting.delete(t.userId);
            inbox.push(now - w.sent);
            w.done(true);
          }
        }
        for (const [userId, w] of waiting) {
          if (now - w.sent > 10_000) {
            waiting.delete(userId);
            w.done(false);
          }
        }
        await sleep(50);
      }
    })();
    await Promise.all(
      userIds.map(async (userId, c) => {
        for (let i = 0; i < options.messages; i++) {
          const text = `相談${c + 1}-${i + 1} 道路の穴について`;
          const seen = new Promise<boolean>((done) => waiting.set(userId, { text, sent: performance.now(), done }));
          await sim.sendText(userId, text);
          if (!(await seen)) {
            lost += 1;
            if (process.env.BENCH_DEBUG) console.log(`not in the inbox within 10 s: ${text}`);
          }
        }
      }),
    );
    writing = false;
    await watcher;

    // Staff reply at once, each to its share of the citizens, one reply after another.
    const replies: number[] = [];
    const before = new Map<string, number>();
    for (const userId of userIds) before.set(userId, (await sim.received(userId)).length);
    await Promise.all(
      staff.map(async (s, k) => {
        for (const [c, userId] of userIds.entries()) {
          if (c % options.staff !== k) continue;
          for (let i = 0; i < options.messages; i++) {
            const sent = performance.now();
            const answer = await s.call('POST', `/chat/threads/${userId}/messages`, { clientId: ulid(), text: `お返事${i + 1}：確認します。` });
            if (answer.status !== 201 || answer.body.sendStatus !== 'sent') {
              lost += 1;
              if (process.env.BENCH_DEBUG) console.log(`reply not sent: ${answer.status} ${answer.text.slice(0, 200)}`);
              continue;
            }
            replies.push(performance.now() - sent);
          }
        }
      }),
    );
    let doubled = 0;
    for (const userId of userIds) {
      const got = (await sim.received(userId)).length - before.get(userId)!;
      if (got > options.messages) doubled += got - options.messages;
      if (got < options.messages) lost += options.messages - got;
      if (got !== options.messages && process.env.BENCH_DEBUG) console.log(`${userId}: ${got} replies received`);
    }
    const a = [...inbox].sort((x, y) => x - y);
    const r = [...replies].sort((x, y) => x - y);
    return {
      citizens: options.citizens,
      messages: options.messages,
      staff: options.staff,
      inboxP50Ms: percentile(a, 50),
      inboxP99Ms: percentile(a, 99),
      inboxMaxMs: a.at(-1) ?? 0,
      replyP50Ms: percentile(r, 50),
      replyP99Ms: percentile(r, 99),
      replyMaxMs: r.at(-1) ?? 0,
      replies: r.length,
      lost,
      doubled,
    };
  } finally {
    await rt.stop();
  }
}
