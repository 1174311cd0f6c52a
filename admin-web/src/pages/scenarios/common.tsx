/** Pieces shared by the pages of シナリオ: paths, a scenario's state in words, the phone picture of a step. */
import type { LineMessage } from '../../../../functions/ports/line-gateway';
import type { ScenarioHeader } from '../../api/scenarios';
import { number } from '../../format';
import { PhoneFrame } from '../../components/phone-preview';

export const SCENARIOS_BASE = '/scenarios';
export const scenarioPath = (scenarioId: string) => `${SCENARIOS_BASE}/${encodeURIComponent(scenarioId)}`;

export function StateBadge(props: { header: Pick<ScenarioHeader, 'publishedVersion' | 'latestVersion'> }) {
  const { publishedVersion, latestVersion } = props.header;
  if (!publishedVersion) return <span className="badge muted-badge">非公開</span>;
  return (
    <span className="badge success-badge">
      公開中（第{number.format(publishedVersion)}版{publishedVersion !== latestVersion ? `・最新は第${number.format(latestVersion)}版` : ''}）
    </span>
  );
}

type Action = { type: string; label?: string; data?: string; uri?: string; text?: string };
type QuickReply = { items: { action: Action }[] };

/** A step's messages as LINE shows them (text as text, never HTML), with the quick-reply buttons under the chat. */
export function StepPhone(props: { messages: LineMessage[]; label: string; accountName?: string }) {
  const last = props.messages[props.messages.length - 1] as { quickReply?: QuickReply } | undefined;
  return (
    <PhoneFrame
      label={props.label}
      accountName={props.accountName}
      rows={props.messages.map((m, i) => (
        <PhoneMessage key={i} message={m} />
      ))}
      footer={
        last?.quickReply && (
          <div className="line-quick-replies" aria-label="クイックリプライ">
            {last.quickReply.items.map((it, i) => (
              <span key={i} className="line-quick-reply">
                {it.action.label}
              </span>
            ))}
          </div>
        )
      }
    />
  );
}

function PhoneMessage(props: { message: LineMessage }) {
  const m = props.message as {
    type: string;
    text?: string;
    altText?: string;
    template?: { type: string; text?: string; actions?: Action[]; columns?: { text: string; actions: Action[] }[] };
  };
  if (m.type === 'text') return <div className="line-bubble line-text">{m.text}</div>;
  if (m.type === 'image') {
    const src = (m as { previewImageUrl?: string }).previewImageUrl ?? '';
    // The engine's address is relative here (no public base URL): the console's own /media/… serves it.
    return /^\/media\/[0-9A-Z]{26}\/preview$/.test(src) ? (
      <img className="line-image" src={src} alt="画像" />
    ) : (
      <div className="line-bubble line-image-placeholder">（画像が未選択です）</div>
    );
  }
  if (m.type === 'template' && m.template?.type === 'buttons') {
    return (
      <div className="line-bubble line-buttons">
        <p className="line-buttons-text">{m.template.text}</p>
        {m.template.actions?.map((a, i) => (
          <span key={i} className="line-button">
            {a.label}
          </span>
        ))}
      </div>
    );
  }
  if (m.type === 'template' && m.template?.type === 'carousel') {
    return (
      <div className="line-carousel">
        {m.template.columns?.map((c, i) => (
          <div key={i} className="line-bubble line-buttons">
            <p className="line-buttons-text">{c.text}</p>
            {c.actions.map((a, k) => (
              <span key={k} className="line-button">
                {a.label}
              </span>
            ))}
          </div>
        ))}
      </div>
    );
  }
  return <div className="line-bubble line-text">{m.altText ?? m.type}</div>;
}
