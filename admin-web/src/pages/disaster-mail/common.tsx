/** Pieces shared by the pages of 防災メール連携: the tabs, the words of decisions and progress, a delivery's content per language. */
import type { ReactNode } from 'react';
import {
  ALERT_KIND_LABELS,
  MAIL_DECISION_LABELS,
  type AlertKind,
  type MailDecision,
  type MailDeliveryProgress,
  type MailHold,
  type ReceivedMailDetail,
  type Route,
  type VerdictStatus,
} from '../../api/disaster-mail';
import type { Variant } from '../../api/deliveries';
import type { Me } from '../../api/types';
import { Link } from '../../components/ui';
import { canUse } from '../../functions';
import { formatDateTime, formatTime, jstDate, number } from '../../format';
import { LANGUAGE_LABELS } from '../../../../functions/shared/languages';
import { usePath } from '../../router';
import { STATUS_LABEL } from '../deliveries/common';
import { useHeldCount } from './held-count';

export const BASE = '/disaster-mail';

/** The sub-pages of 防災メール連携, as tabs under the heading. */
export function DisasterMailNav() {
  const path = usePath();
  const held = useHeldCount();
  const items = [
    { to: BASE, label: '受信ログ', active: path === BASE || path === `${BASE}/` || path.startsWith(`${BASE}/mails/`) },
    { to: `${BASE}/held`, label: '承認待ち', active: path === `${BASE}/held`, count: held ?? 0 },
    { to: `${BASE}/settings`, label: 'ルール設定', active: path === `${BASE}/settings` },
    { to: `${BASE}/try`, label: 'テスト送信・試しに変換', active: path === `${BASE}/try` },
  ];
  return (
    <nav className="subnav" aria-label="防災メール連携のメニュー">
      {items.map((i) => (
        <Link key={i.to} to={i.to} className={i.active ? 'active' : undefined} aria-current={i.active ? 'page' : undefined}>
          {i.label}
          {i.count ? (
            <span className="count-badge">
              <span className="visually-hidden">（</span>
              {number.format(i.count)}
              <span className="visually-hidden">件）</span>
            </span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}

export const MODE_LABEL: Record<Route['mode'], string> = { auto: '自動で送信', hold: '承認してから送信' };

const HOLD_OUTCOME_LABEL: Record<NonNullable<MailHold['outcome']>, string> = {
  approved: '承認して送信',
  discarded: '破棄',
  released: '承認されないまま時間がたったため自動で送信',
};

export const VERDICT_LABEL: Record<VerdictStatus, string> = {
  PASS: '合格',
  FAIL: '不合格',
  GRAY: '判定できず',
  PROCESSING_FAILED: '確認に失敗',
  DISABLED: '確認していない',
};

export function DecisionBadge(props: { decision: MailDecision }) {
  return <span className={`badge mail-decision-${props.decision}`}>{MAIL_DECISION_LABELS[props.decision]}</span>;
}

export function TestBadge() {
  return <span className="badge mail-test">テスト</span>;
}

export function kindText(kind: AlertKind | null | undefined): string {
  return kind ? ALERT_KIND_LABELS[kind] : '種類を判別できません（ほかの言語の定型文はつけず、日本語だけで送ります）';
}

/** 「送信済み 9,500人 / 失敗 0」: the delivery's state and figures. */
export function progressText(p: MailDeliveryProgress): string {
  const label = STATUS_LABEL[p.status];
  if (p.status === 'sending' && p.recipients !== undefined) return `${label} ${number.format(p.succeeded ?? 0)} / ${number.format(p.recipients)}人`;
  if (p.succeeded === undefined && p.failed === undefined) return p.recipients !== undefined ? `${label}（対象 ${number.format(p.recipients)}人）` : label;
  return `${label} ${number.format(p.succeeded ?? 0)}人 / 失敗 ${number.format(p.failed ?? 0)}`;
}

/** The delivery's progress, linked to its page in 配信 for staff who may open it. */
export function DeliveryProgress(props: { progress: MailDeliveryProgress; me: Me }) {
  const { progress, me } = props;
  const text = <span className={`progress-text delivery-status-text-${progress.status}`}>{progressText(progress)}</span>;
  if (!canUse(me, 'deliveries')) return text;
  return <Link to={`/deliveries/${encodeURIComponent(progress.deliveryId)}`}>{text}</Link>;
}

/** 「14:30（JST）に自動で送信されます」; the date too when it is not today (Japan time). */
export function releaseText(releaseAt: string): string {
  const sameDay = jstDate(new Date(releaseAt)) === jstDate();
  return `${sameDay ? formatTime(releaseAt) : formatDateTime(releaseAt)}（JST）に自動で送信されます`;
}

/** How a held mail ended (or that it still waits). */
export function holdText(hold: MailHold): string | null {
  if (!hold.outcome) return hold.releaseAt ? `承認待ちです。承認されなければ ${releaseText(hold.releaseAt)}。` : '承認待ちです（承認されるまで送信しません）。';
  const who = hold.handledBy ? `（${hold.handledBy}）` : '';
  return `${HOLD_OUTCOME_LABEL[hold.outcome]}：${hold.handledAt ? formatDateTime(hold.handledAt) : '—'}${who}`;
}

/** The text of a variant's bubbles (the bridge sends text bubbles; anything else is named). */
export function variantText(variant: Variant): string {
  return variant.bubbles
    .map((b) => {
      switch (b.type) {
        case 'text':
          return b.text;
        case 'link':
          return `${b.text}\n${b.label}: ${b.url}`;
        case 'scenario':
          return `${b.text}\n${b.label}`;
        case 'card':
          return `${b.title}\n${b.body}`;
        case 'image':
          return '（画像）';
      }
    })
    .join('\n\n');
}

/** What was or will be sent, per language: its label and the text as it reads on the phone. */
export function ContentByLanguage(props: { content: NonNullable<ReceivedMailDetail['content']>; only?: 'others'; children?: ReactNode }) {
  const variants = props.only === 'others' ? props.content.variants.filter((v) => v.lang !== 'ja') : props.content.variants;
  if (variants.length === 0) return <p className="muted">ほかの言語の定型文はありません（日本語だけを送ります）。</p>;
  return (
    <>
      <div className="lang-texts">
        {variants.map((v) => (
          <section key={v.lang} className="lang-text" aria-label={LANGUAGE_LABELS[v.lang]}>
            <h3>{LANGUAGE_LABELS[v.lang]}</h3>
            <p className="message-text">{variantText(v)}</p>
          </section>
        ))}
      </div>
      {props.children}
    </>
  );
}

export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${number.format(bytes)} バイト`;
  if (bytes < 1024 * 1024) return `${number.format(Math.round(bytes / 102.4) / 10)} KB`;
  return `${number.format(Math.round(bytes / 104857.6) / 10)} MB`;
}
