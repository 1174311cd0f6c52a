/**
 * Keyword auto-replies on the local runtime (DynamoDB Local, the webhook consumer's worker thread,
 * the LINE simulator): the starter set answers a citizen's question at first start, a staff edit
 * through the admin API answers the next message without a restart, a message nothing matches is
 * listed for staff, and the rule store keeps its set marker and cap right under concurrent writes.
 */
import { ulid } from 'ulid';
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';
import { DynamoKeywordRuleStore } from '../../../functions/adapters/aws/keyword-rule-store';
import { RULES_MAX_AGE_MS } from '../../../functions/keywords/rule-cache';
import type { KeywordRule } from '../../../functions/keywords/model';
import { testDb } from '../../support/integration';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const tag = Date.now().toString(36);

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

async function friend(displayName: string, language = 'ja'): Promise<string> {
  const { citizen } = await sim.createCitizen({ displayName, language });
  await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend stored');
  await sim.waitForReceived(citizen.userId, (m) => m.length >= 2, 10_000); // the greeting
  return citizen.userId;
}

/** The texts the account sent this citizen after the first `after` messages. */
async function answerTo(userId: string, after: number): Promise<string[]> {
  const received = await sim.waitForReceived(userId, (m) => m.length > after, 10_000);
  return received.slice(after).map((r) => String((r.message as { text?: string; altText?: string }).text ?? (r.message as { altText?: string }).altText ?? ''));
}

describe('keyword auto-replies', () => {
  it('answers with the starter set at first start, in the citizen language', async () => {
    const list = await admin.call('GET', '/keywords');
    expect(list.status).toBe(200);
    expect(list.body.rules.length).toBeGreaterThanOrEqual(25);
    expect(list.body.rules[0]).toMatchObject({ order: 1, name: expect.stringContaining('救急') });

    const userId = await friend(`粗大 太郎 ${tag}`);
    await sim.sendText(userId, '粗大ゴミを出したいです');
    const answer = await answerTo(userId, 2);
    expect(answer.join('\n')).toContain('粗大ごみ');

    const english = await friend(`Ann ${tag}`, 'en');
    await sim.sendText(english, 'Where is the evacuation shelter?');
    expect((await answerTo(english, 2)).join('\n')).toMatch(/shelter/i);
  });

  it('applies a staff edit to the next message without a restart, counts the hit, and lists what nothing answered', async () => {
    const keyword = `ぷーる${tag}`;
    const created = await admin.call('POST', '/keywords', {
      name: `市民プール ${tag}`,
      match: 'contains',
      patterns: [keyword],
      priority: 50,
      enabled: true,
      replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: '市民プールは7月から営業します。' }] }],
    });
    expect(created.status).toBe(201);
    const userId = await friend(`プール 花子 ${tag}`);
    // Every webhook instance reads the set's marker at most RULES_MAX_AGE_MS after its last read.
    await new Promise((r) => setTimeout(r, RULES_MAX_AGE_MS + 200));
    await sim.sendText(userId, `「${keyword.replace('ぷーる', 'プール')}」はいつから？`);
    expect(await answerTo(userId, 2)).toEqual(['市民プールは7月から営業します。']);

    const edited = await admin.call('PUT', `/keywords/${created.body.ruleId}`, {
      ...created.body,
      replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: '市民プールは今年は休みです。' }] }],
      version: 1,
    });
    expect(edited.status).toBe(200);
    await new Promise((r) => setTimeout(r, RULES_MAX_AGE_MS + 200));
    await sim.sendText(userId, `${keyword}の予定`);
    expect(await answerTo(userId, 3)).toEqual(['市民プールは今年は休みです。']);
    const hits = await admin.call('GET', '/keywords/hits', undefined, { query: { days: '1' } });
    expect(hits.body.rules.find((r: { ruleId: string }) => r.ruleId === created.body.ruleId)).toMatchObject({ total: 2 });

    const question = `うちの猫が迷子になりました ${tag}\n黒い猫です`;
    const unknown = await friend(`猫 次郎 ${tag}`);
    await sim.sendText(unknown, `ほかの話 ${tag}`);
    await sim.sendText(unknown, question);
    await answerTo(unknown, 3);
    const listed = await eventually(
      async () => {
        const page = await admin.call('GET', '/keywords/unanswered', undefined, { query: { limit: '100' } });
        return page.body.items.find((m: { text: string }) => m.text === `ほかの話 ${tag}`) ? page.body : undefined;
      },
      10_000,
      'unanswered listed',
    );
    // 迷子の猫 matches the starter set's pets rule; the other message nothing matched.
    expect(listed.items.filter((m: { userId: string }) => m.userId === unknown).map((m: { text: string }) => m.text)).toEqual([`ほかの話 ${tag}`]);
    expect(listed.items[0].displayName).toBeDefined();
  });
});

describe('the rule store on DynamoDB Local', () => {
  const rule = (name: string): KeywordRule => {
    const at = new Date().toISOString();
    return {
      ruleId: ulid(),
      name,
      match: 'contains',
      patterns: [name],
      priority: 500,
      enabled: true,
      replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: name }] }],
      createdAt: at,
      createdBy: 'it',
      updatedAt: at,
      updatedBy: 'it',
      version: 1,
    };
  };

  it('keeps the marker counting right under concurrent creates and never passes the cap', async () => {
    const store = new DynamoKeywordRuleStore(testDb(), env.tableName);
    const before = (await store.marker())!;
    const cap = before.count + 5;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.create(rule(`同時${tag}-${i}`), cap)));
    expect(results.filter((r) => r === 'done')).toHaveLength(5);
    expect(results.filter((r) => r === 'full')).toHaveLength(7);
    const after = (await store.marker())!;
    expect(after.count).toBe(cap);
    expect(after.version).toBe(before.version + 5);
    expect((await store.list()).length).toBe(after.count);
    expect(await store.seed([rule('again')], 1)).toBe('exists');

    // Two edits from the same version: one wins.
    const target = (await store.list()).find((r) => r.name === `同時${tag}-0`) ?? (await store.list()).find((r) => r.name.startsWith(`同時${tag}`))!;
    const edits = await Promise.all([
      store.update({ ...target, name: 'A', version: target.version + 1 }),
      store.update({ ...target, name: 'B', version: target.version + 1 }),
    ]);
    expect(edits.sort()).toEqual(['conflict', 'done']);
    expect(await store.remove(target.ruleId, target.version)).toBe('conflict');
    expect(await store.remove(target.ruleId, target.version + 1)).toBe('done');
    expect(await store.remove(target.ruleId, target.version + 1)).toBe('missing');
    expect((await store.marker())!.count).toBe(cap - 1);
  });

  it('adds imported rules under the cap in transactions, and a replace leaves the marker counting what is there', async () => {
    const store = new DynamoKeywordRuleStore(testDb(), env.tableName);
    const original = await store.list();
    const before = (await store.marker())!;
    const batch = Array.from({ length: 120 }, (_, i) => rule(`取込${tag}-${i}`));
    expect(await store.addMany(batch, before.count + 119)).toBe('full'); // the second transaction (21) passes the cap
    const afterFull = (await store.marker())!;
    expect(afterFull.count).toBe(before.count + 99);
    expect((await store.list()).length).toBe(afterFull.count);
    const rest = batch.slice(99);
    expect(await store.addMany(rest, afterFull.count + rest.length)).toBe('done');

    const all = await store.list();
    const kept = all.slice(0, 3);
    const replacing = store.replaceAll(kept);
    const sneaked = store.create(rule(`同時作成${tag}`), 10_000); // a staff create while the import runs
    await Promise.all([replacing, sneaked]);
    const marker = (await store.marker())!;
    expect(marker.count).toBe((await store.list()).length);
    expect(marker.version).toBeGreaterThan(afterFull.version + 1);
    await store.replaceAll(original); // the shared runtime's set as it was
  });
});
