/**
 * A phone-like picture of a delivery's bubbles as LINE shows them: the account's messages on the
 * left in a chat. Everything staff typed is rendered as text (React escapes it; never HTML), and
 * `{name}` shows a sample friend name, since each friend sees their own.
 */
import type { ReactNode } from 'react';
import { mediaUrl, type Bubble, type CardTemplate } from '../api/deliveries';
import type { Lang } from '../../../functions/shared/languages';

export const SAMPLE_NAME = '山田 花子';

const TEMPLATE_BAND: Record<CardTemplate, Record<Lang, string>> = {
  notice: { ja: 'お知らせ', en: 'Notice', ko: '알림', 'zh-Hans': '通知', 'zh-Hant': '通知' },
  event: { ja: 'イベント', en: 'Event', ko: '이벤트', 'zh-Hans': '活动', 'zh-Hant': '活動' },
  emergency: { ja: '緊急', en: 'Emergency', ko: '긴급', 'zh-Hans': '紧急', 'zh-Hant': '緊急' },
};
const WHEN_WHERE: Record<Lang, [string, string]> = {
  ja: ['日時', '場所'],
  en: ['When', 'Where'],
  ko: ['일시', '장소'],
  'zh-Hans': ['时间', '地点'],
  'zh-Hant': ['時間', '地點'],
};

const withName = (text: string) => text.split('{name}').join(SAMPLE_NAME);

/** The phone's frame and chat: the account's messages on the left, one row each (the first with the account's icon). */
export function PhoneFrame(props: { label: string; accountName?: string; rows: ReactNode[]; empty?: ReactNode; footer?: ReactNode }) {
  return (
    <div className="phone line-phone" role="region" aria-label={props.label}>
      <div className="phone-bar">
        <span aria-hidden="true">‹</span>
        <span className="phone-bar-title">{props.accountName ?? '荒尾市'}</span>
        <span aria-hidden="true">≡</span>
      </div>
      <div className="line-chat">
        {props.rows.length === 0 && props.empty}
        {props.rows.map((row, i) => (
          <div key={i} className="line-row">
            {i === 0 ? (
              <span className="line-avatar" aria-hidden="true">
                荒
              </span>
            ) : (
              <span className="line-avatar-space" aria-hidden="true" />
            )}
            {row}
          </div>
        ))}
      </div>
      {props.footer}
    </div>
  );
}

export function PhonePreview(props: { bubbles: Bubble[]; lang: Lang; label: string; accountName?: string }) {
  return (
    <PhoneFrame
      label={props.label}
      accountName={props.accountName}
      empty={<p className="line-empty">吹き出しを追加すると、ここに表示されます。</p>}
      rows={props.bubbles.map((b, i) => (
        <PreviewBubble key={i} bubble={b} lang={props.lang} />
      ))}
    />
  );
}

function PreviewBubble(props: { bubble: Bubble; lang: Lang }) {
  const b = props.bubble;
  switch (b.type) {
    case 'text':
      return <div className="line-bubble line-text">{withName(b.text) || '（本文が空です）'}</div>;
    case 'image':
      return b.mediaId ? (
        <img className="line-image" src={mediaUrl(b.mediaId)} alt={b.alt || '画像'} />
      ) : (
        <div className="line-bubble line-placeholder">（画像が未選択です）</div>
      );
    case 'scenario':
    case 'link':
      return (
        <div className="line-card">
          <div className="line-card-body">
            <p className="line-card-text">{withName(b.text) || '（本文が空です）'}</p>
          </div>
          <div className="line-card-footer">
            <span className="line-card-button" title={b.type === 'link' ? b.url : undefined}>
              {b.label || '（ボタンの文字）'}
            </span>
          </div>
        </div>
      );
    case 'card': {
      const [whenLabel, whereLabel] = WHEN_WHERE[props.lang];
      return (
        <div className={`line-card card-${b.template}`}>
          <div className="line-card-band">{TEMPLATE_BAND[b.template][props.lang]}</div>
          {b.mediaId && <img className="line-card-hero" src={mediaUrl(b.mediaId)} alt="" />}
          <div className="line-card-body">
            <p className="line-card-title">{withName(b.title) || '（見出しが空です）'}</p>
            {b.body && <p className="line-card-text">{withName(b.body)}</p>}
            {b.template === 'event' && (b.when || b.where) && (
              <dl className="line-card-facts">
                {b.when && (
                  <div>
                    <dt>{whenLabel}</dt>
                    <dd>{b.when}</dd>
                  </div>
                )}
                {b.where && (
                  <div>
                    <dt>{whereLabel}</dt>
                    <dd>{b.where}</dd>
                  </div>
                )}
              </dl>
            )}
          </div>
          {b.button && b.button.label && (
            <div className="line-card-footer">
              <span className="line-card-button" title={b.button.url}>
                {b.button.label}
              </span>
            </div>
          )}
        </div>
      );
    }
  }
}
