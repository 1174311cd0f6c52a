/**
 * The disaster-mail intake on in-memory ports (received mails, settings, segments, deliveries,
 * scheduler, planner queue, raw-mail store, clock), and alert mails as a mail server stores them.
 * Shared by intake.test.ts and intake-sqs.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannerMessage, Segment, SegmentRule } from '../../../functions/deliveries/model';
import { receiveMail, type IncomingMail, type IntakeDeps } from '../../../functions/disaster-mail/intake';
import { mailIdFor } from '../../../functions/disaster-mail/keys';
import { DEFAULT_BRIDGE_SETTINGS, type BridgeSettings, type Route } from '../../../functions/disaster-mail/model';
import { MemoryBridgeSettings } from '../../support/admin-fakes';
import { MemoryRecords, MemoryScheduler, memoryStaffDeliveries } from '../../support/delivery-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs } from '../../support/form-fakes';
import { MemoryReceivedMails } from '../../support/mail-fakes';
import { MemoryJsonQueue } from '../../support/pipeline-fakes';

/** A fixture's bytes (test/events/mail/<name>.eml). */
export const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../../events/mail', `${name}.eml`));

export const route = (id: string, over: Partial<Route> = {}): Route => ({ id, name: id, target: { kind: 'everyone' }, mode: 'auto', ...over });

/** The city's two sending systems accepted; everything else to everyone at once. */
export const BASE_SETTINGS: BridgeSettings = {
  ...DEFAULT_BRIDGE_SETTINGS,
  acceptedSenders: ['city.arao.example', 'bousai-mail.example.jp'],
  defaultRoute: route('default', { name: 'すべてのメール' }),
};

export { alertMail } from '../../support/mail-fakes';

export const EVACUATION_SUBJECT = '【荒尾市】避難指示（警戒レベル４）の発令について';
export const EVACUATION_BODY = ['【警戒レベル４】避難指示を発令しました。', '対象地区：荒尾・万田', '危険な場所から全員避難してください。'].join('\n');

export function segment(segmentId: string, name: string, rule: SegmentRule): Segment {
  const at = '2026-11-01T00:00:00.000Z';
  return { segmentId, name, rule, createdAt: at, createdBy: 'seed', updatedAt: at, updatedBy: 'seed', version: 1 };
}

export function intakeHarness(settings: BridgeSettings | null = BASE_SETTINGS) {
  const clock = new FakeClock(new Date('2026-12-06T18:20:00.000Z'));
  const mails = new MemoryReceivedMails();
  const bridgeSettings = new MemoryBridgeSettings();
  const segments = new MemoryRecords<Segment>('segmentId');
  const deliveries = memoryStaffDeliveries();
  const scheduler = new MemoryScheduler();
  const planner = new MemoryJsonQueue<PlannerMessage>();
  const blobs = new MemoryBlobs();
  const deps: IntakeDeps = { mails, bridgeSettings, segments, deliveries, scheduler, planner, blobs, clock };

  const configure = (next: BridgeSettings) => {
    bridgeSettings.stored = { settings: structuredClone(next), version: (bridgeSettings.stored?.version ?? 0) + 1 };
  };
  if (settings) configure(settings);

  let received = 0;
  /** The raw mail stored as SES stores it (inbound/<SES message ID>); the IncomingMail its notification becomes. */
  const arrive = async (raw: Buffer, over: Partial<IncomingMail> = {}): Promise<IncomingMail> => {
    const sesId = `ses-message-${++received}`;
    const at = clock.now();
    const storageKey = `inbound/${sesId}`;
    await blobs.put(storageKey, raw);
    return { mailId: mailIdFor(at.getTime(), sesId), receivedAt: at.toISOString(), storageKey, source: 'mail', ...over };
  };
  const receive = async (raw: Buffer, over: Partial<IncomingMail> = {}) => {
    const incoming = await arrive(raw, over);
    return { incoming, outcome: await receiveMail(deps, incoming) };
  };
  const advance = (minutes: number) => {
    clock.current = new Date(clock.current.getTime() + minutes * 60_000);
  };

  return { deps, clock, mails, bridgeSettings, segments, deliveries, scheduler, planner, blobs, configure, arrive, receive, advance };
}

export type IntakeHarness = ReturnType<typeof intakeHarness>;

/** The planner messages that plan deliveries (a mail sent at once also queues its `disasterSignal`, checked where it matters). */
export const plans = (messages: PlannerMessage[]) => messages.filter((m) => m.type === 'plan');
