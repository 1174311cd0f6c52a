/**
 * Staff use cases of the disaster-mail bridge's settings (console page 防災メール連携, staff with
 * the disasterMail function): read them, save them over the version the editor read. Every save is
 * audited with a picture in words (the audit log never shows codes or braces).
 */
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { SegmentRepository } from '../deliveries/ports';
import { ConflictError, ValidationError } from '../shared/errors';
import type { SignedIn } from '../staff/context';
import { ALERT_KIND_LABELS, ALERT_KINDS, DEFAULT_BRIDGE_SETTINGS, type BridgeSettings, type Route } from './model';
import type { BridgeSettingsRepository, StoredBridgeSettings } from './ports';

export interface StaffDisasterMailDeps extends AuditDeps {
  bridgeSettings: BridgeSettingsRepository;
  segments: Pick<SegmentRepository, 'get'>;
}

/** What the settings routes answer: the settings as stored (version 0 and the defaults before the first save). */
export type BridgeSettingsAnswer = StoredBridgeSettings;

const STALE = 'ほかの職員が先に変更しました。画面を読み込み直してください。';

export async function getBridgeSettings(deps: StaffDisasterMailDeps): Promise<BridgeSettingsAnswer> {
  const stored = await deps.bridgeSettings.get();
  return stored ?? { settings: DEFAULT_BRIDGE_SETTINGS, version: 0 };
}

export async function saveBridgeSettings(
  deps: StaffDisasterMailDeps,
  who: SignedIn,
  settings: BridgeSettings,
  expectedVersion: number,
): Promise<BridgeSettingsAnswer> {
  const routes = [...settings.routes, ...(settings.defaultRoute ? [settings.defaultRoute] : [])];
  const segmentIds = [...new Set(routes.flatMap((r) => (r.target.kind === 'segments' ? r.target.segmentIds : [])))];
  // Segment names for the audit log (it shows names, not IDs); a missing segment is refused.
  const names = new Map<string, string>();
  for (const segment of await Promise.all(segmentIds.map((id) => deps.segments.get(id)))) if (segment) names.set(segment.segmentId, segment.name);
  const missing = segmentIds.filter((id) => !names.has(id));
  if (missing.length > 0) throw new ValidationError(`送り先のセグメントが見つかりません（削除された可能性があります）：${missing.join('、')}`);
  const before = await getBridgeSettings(deps);
  if (before.version !== expectedVersion) throw new ConflictError(STALE);
  const next = { settings, version: expectedVersion + 1, updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId };
  if ((await deps.bridgeSettings.save(next, expectedVersion)) === 'conflict') throw new ConflictError(STALE);
  const segmentName = (id: string) => names.get(id) ?? id;
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'disaster_mail_settings.updated',
    target: 'settings:disaster-mail',
    ip: who.ip,
    before: settingsPicture(before.settings, segmentName),
    after: settingsPicture(settings, segmentName),
  });
  return next;
}

const MODE_WORDS = { auto: '自動で送る', hold: '承認を待つ' } as const;

/** One route in words: name, what it matches, where it sends, how. */
export function routeText(route: Route, segmentName: (id: string) => string): string {
  const when = [
    route.senders?.length ? `差出人：${route.senders.join('、')}` : '',
    route.subjectKeywords?.length ? `件名：${route.subjectKeywords.join('、')}` : '',
    route.bodyKeywords?.length ? `本文：${route.bodyKeywords.join('、')}` : '',
  ].filter(Boolean);
  const to = route.target.kind === 'everyone' ? '友だち全員' : route.target.segmentIds.map(segmentName).join('、');
  const release = route.mode === 'hold' && route.releaseAfterMinutes ? `（${route.releaseAfterMinutes}分たったら送る）` : '';
  return `${route.name}：${when.length ? when.join('／') : 'すべてのメール'} → ${to}、${MODE_WORDS[route.mode]}${release}`;
}

/** The settings as the audit log shows them: every value in words. */
export function settingsPicture(s: BridgeSettings, segmentName: (id: string) => string): Record<string, unknown> {
  return {
    acceptedSenders: s.acceptedSenders,
    routes: s.routes.map((r, i) => `${i + 1}. ${routeText(r, segmentName)}`),
    defaultRoute: s.defaultRoute ? routeText(s.defaultRoute, segmentName) : '記録だけして送らない',
    footerMarkers: s.footerMarkers,
    disasterPageUrl: s.disasterPageUrl ?? '',
    phrases: ALERT_KINDS.map((k) => `${ALERT_KIND_LABELS[k]}：${Object.values(s.phrases[k]).join(' / ')}`),
    duplicateWindowMinutes: s.duplicateWindowMinutes,
    requireDmarcPass: (s.requireDmarcPass ?? true) ? 'DMARC が PASS のメールだけ自動で送る' : 'DMARC を確かめない',
  };
}
