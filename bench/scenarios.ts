/**
 * Scenario benchmark: a 500-step scenario (saved and published through the admin API) walked by
 * many simulator citizens at once, each answering the next question as soon as the previous answer
 * came back. Per answer: the time from the citizen's send (the simulator's POST /webhook) to the
 * account's reply accepted by the simulator (its server-sent `received` event). Targets: p50 ≤ 150
 * ms, p99 ≤ 500 ms; afterwards every run is read back — answers and replies counted, none lost or
 * doubled. Runs the whole local runtime in a child process (DynamoDB Local, the webhook consumer).
 */
import { performance } from 'node:perf_hooks';
import { replaceInitialPassword } from '../local/first-admin';
import { startRuntimeProcess } from '../local/runtime-process';
import type { ScenarioDraft } from '../functions/scenarios/model';
import { LineSimulatorClient } from '../simulator/client';
import { ConsoleClient } from '../test/integration/admin/console-client';
import { yesNoStep } from '../test/support/scenario-fakes';
import { percentile } from './runtime';

export interface ScenarioBenchOptions {
  steps: number;
  citizens: number;
  /** Answers per citizen (≤ steps): each walks this far into the scenario. */
  answers: number;
}

export interface ScenarioBenchResult {
  steps: number;
  citizens: number;
  answers: number;
  seconds: number;
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Replies that never came (after 30 s), answers the run did not keep, and replies beyond one per answer. */
  lost: number;
  doubled: number;
}

/** Replies as the simulator announces them (one server-sent stream), handed to whoever waits for that citizen. */
class Replies {
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly controller = new AbortController();

  async open(simulatorUrl: string): Promise<void> {
    const res = await fetch(`${simulatorUrl}/sim/stream`, { signal: this.controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        const at = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = chunk
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5))
            .join('');
          if (!data) continue;
          const event = JSON.parse(data) as { type: string; userIds?: string[] | null };
          if (event.type !== 'received') continue;
          for (const userId of event.userIds ?? []) this.waiting.get(userId)?.(at);
        }
      }
    })();
  }

  /** Resolves with the time of the next reply to `userId`, or null after `timeoutMs`. */
  next(userId: string, timeoutMs = 30_000): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(userId);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(userId, (at) => {
        clearTimeout(timer);
        this.waiting.delete(userId);
        resolve(at);
      });
    });
  }

  close(): void {
    this.controller.abort();
  }
}

export async function runScenarioBench(options: ScenarioBenchOptions): Promise<ScenarioBenchResult> {
  const rt = await startRuntimeProcess();
  const ready = rt as unknown as { initialAdmin: { loginId: string; password: string } };
  const replies = new Replies();
  try {
    const admin = new ConsoleClient(rt.platform);
    const password = await replaceInitialPassword(rt.platform, ready.initialAdmin);
    if ((await admin.signIn(ready.initialAdmin.loginId, password)).status !== 200) throw new Error('sign-in failed');
    const word = 'ベンチアンケート';
    const created = await admin.call('POST', '/scenarios', { name: 'ベンチ用アンケート' });
    const id = created.body.header.scenarioId as string;
    const draft: ScenarioDraft = {
      name: 'ベンチ用アンケート',
      startWords: [word],
      startStepId: 's0',
      timeoutMinutes: 60,
      maxAttempts: 3,
      steps: Array.from({ length: options.steps }, (_, i) => yesNoStep(i, options.steps)),
    };
    const saved = await admin.call('PUT', `/scenarios/${id}`, { ...draft, rev: created.body.header.rev });
    if (saved.status !== 200) throw new Error(`save failed: ${saved.status} ${saved.text.slice(0, 300)}`);
    const published = await admin.call('POST', `/scenarios/${id}/publish`, { version: saved.body.header.latestVersion, rev: saved.body.header.rev });
    if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${published.text.slice(0, 300)}`);

    const sim = new LineSimulatorClient(rt.simulator);
    await replies.open(rt.simulator);
    const userIds: string[] = [];
    for (let i = 0; i < options.citizens; i++) {
      const { citizen } = await sim.createCitizen({ displayName: `回答者${i + 1}`, language: i % 5 === 0 ? 'en' : 'ja' });
      userIds.push(citizen.userId);
    }
    // Greetings out, and the start word seen by the webhook consumer (start words are re-read every 3 s).
    for (const userId of userIds) await sim.waitForReceived(userId, (m) => m.length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 3_500));

    const latencies: number[] = [];
    let lost = 0;
    const t0 = performance.now();
    await Promise.all(
      userIds.map(async (userId, c) => {
        const en = c % 5 === 0;
        let reply = replies.next(userId);
        await sim.sendText(userId, word);
        if ((await reply) === null) return void (lost += options.answers);
        for (let i = 0; i < options.answers; i++) {
          const label = (i + c) % 2 === 0 ? (en ? 'Yes' : 'はい') : en ? 'No' : 'いいえ';
          reply = replies.next(userId);
          const sent = performance.now();
          await sim.sendText(userId, label);
          const at = await reply;
          if (at === null) {
            lost += options.answers - i;
            return;
          }
          latencies.push(at - sent);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;

    // Read back: each citizen's replies (greeting 2, the first question, one per answer; the last answer of a full walk ends silently) and the run's answers.
    let doubled = 0;
    let kept = 0;
    for (const userId of userIds) {
      const received = await sim.received(userId);
      const expected = 2 + 1 + options.answers - (options.answers === options.steps ? 1 : 0);
      if (received.length > expected) doubled += received.length - expected;
    }
    let cursor: string | undefined;
    do {
      const page = await admin.call('GET', `/scenarios/${id}/runs`, undefined, { query: { limit: '200', ...(cursor ? { cursor } : {}) } });
      for (const run of page.body.items as { answers: Record<string, unknown>; seq: number }[]) {
        kept += Object.keys(run.answers).length;
        if (run.seq > options.answers) doubled += run.seq - options.answers;
      }
      cursor = page.body.cursor;
    } while (cursor);
    lost = Math.max(lost, options.citizens * options.answers - kept);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      steps: options.steps,
      citizens: options.citizens,
      answers: latencies.length,
      seconds,
      answersPerSecond: latencies.length / seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? 0,
      lost,
      doubled,
    };
  } finally {
    replies.close();
    await rt.stop();
  }
}
