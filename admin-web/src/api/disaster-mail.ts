/** Disaster-mail bridge (防災メール連携): calls of docs/disaster-mail-api.md, staff side, with the server's own shapes. */
import type { z } from 'zod';
import type { approveBody, dryRunBody, saveSettingsBody, testBody } from '../../../functions/disaster-mail/schemas';
import type { StoredBridgeSettings } from '../../../functions/disaster-mail/ports';
import type { DryRunAnswer, HeldCount, HeldMails, MailLogPage, ReceivedMailDetail, TestMailAnswer } from '../../../functions/disaster-mail/views';
import { API_BASE, request } from './client';

export { ALERT_KINDS, ALERT_KIND_LABELS, MAIL_DECISION_LABELS, OTHER_LANGS } from '../../../functions/disaster-mail/model';
export type {
  AlertKind,
  BridgeSettings,
  MailDecision,
  OtherLang,
  PhraseTable,
  Route,
  RouteTarget,
  VerdictStatus,
} from '../../../functions/disaster-mail/model';
export type { DryRunAnswer, MailDeliveryProgress, MailHold, ReceivedMailDetail, ReceivedMailSummary } from '../../../functions/disaster-mail/views';

/** The settings as stored (BridgeSettingsAnswer of staff-disaster-mail.ts is this type; that module is server code). */
export type SettingsAnswer = StoredBridgeSettings;
/** What the settings page sends (PUT /disaster-mail/settings). */
export type SettingsInput = z.input<typeof saveSettingsBody>;
type ApproveInput = z.input<typeof approveBody>;
type TestInput = z.input<typeof testBody>;
type DryRunInput = z.input<typeof dryRunBody>;

const m = (id: string) => `/disaster-mail/mails/${encodeURIComponent(id)}`;

export const getSettings = () => request<SettingsAnswer>('GET', '/disaster-mail/settings');
export const saveSettings = (input: SettingsInput) => request<SettingsAnswer>('PUT', '/disaster-mail/settings', { body: input });
export const listMails = (cursor?: string, limit = 50) => request<MailLogPage>('GET', '/disaster-mail/mails', { query: { cursor, limit } });
export const getMail = (id: string) => request<ReceivedMailDetail>('GET', m(id));
export const getHeldCount = () => request<HeldCount>('GET', '/disaster-mail/held');
export const approveMail = (id: string, text?: string) =>
  request<ReceivedMailDetail>('POST', `${m(id)}/approve`, { body: (text === undefined ? {} : { text }) satisfies ApproveInput });
export const discardMail = (id: string) => request<ReceivedMailDetail>('POST', `${m(id)}/discard`, { body: {} });
export const sendTestMail = (segmentId: string) => request<TestMailAnswer>('POST', '/disaster-mail/test', { body: { segmentId } satisfies TestInput });
export const dryRun = (raw: string) => request<DryRunAnswer>('POST', '/disaster-mail/dry-run', { body: { raw } satisfies DryRunInput });

/** The mail as received (message/rfc822, downloaded as <mailId>.eml): a plain link, the session cookie goes with it. */
export const rawMailUrl = (id: string) => `${API_BASE}${m(id)}/raw`;

/** Held mails still waiting, newest first, each with its content. */
export const listHeldMails = async (): Promise<ReceivedMailDetail[]> => (await request<HeldMails>('GET', '/disaster-mail/held-mails')).items;
