/**
 * The content of a message as staff write it: language tabs, up to five bubbles (text, image,
 * card, link) per language, and the phone preview beside them. A delivery's message (配信) and a
 * keyword rule's reply (キーワード応答) are the same content (`Variant[]`); `purpose` only changes
 * the notes that say how it is sent.
 */
import { useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { messageOf } from '../api/client';
import { CARD_TEMPLATES, mediaUrl, uploadMedia, type Bubble, type CardTemplate, type Variant } from '../api/deliveries';
import { LANGS, LANGUAGE_LABELS, type Lang } from '../../../functions/shared/languages';
import { PhonePreview } from './phone-preview';
import { ScenarioSelect } from './scenario-select';

export const MAX_BUBBLES = 5;

export type Contents = Record<Lang, Bubble[]>;

export const BUBBLE_LABEL: Record<Bubble['type'], string> = {
  text: 'テキスト',
  image: '画像',
  card: 'カード',
  link: 'リンク',
  scenario: 'シナリオを始めるボタン',
};
export const TEMPLATE_LABEL: Record<CardTemplate, string> = { notice: 'お知らせ', event: 'イベント', emergency: '緊急' };

export const emptyContents = (): Contents => ({ ja: [], en: [], ko: [], 'zh-Hans': [], 'zh-Hant': [] });

export function contentsOf(variants: Variant[]): Contents {
  const out = emptyContents();
  for (const v of variants) if (LANGS.includes(v.lang)) out[v.lang] = v.bubbles;
  return out;
}

/** The variants to send: Japanese always, other languages only when they have bubbles. */
export function variantsOf(c: Contents): Variant[] {
  return LANGS.filter((l) => l === 'ja' || c[l].length > 0).map((lang) => ({ lang, bubbles: c[lang] }));
}

function newBubble(type: Bubble['type']): Bubble {
  if (type === 'text') return { type: 'text', text: '' };
  if (type === 'image') return { type: 'image', mediaId: '' };
  if (type === 'card') return { type: 'card', template: 'notice', title: '', body: '' };
  if (type === 'scenario') return { type: 'scenario', text: '', label: '案内を始める', scenarioId: '' };
  return { type: 'link', text: '', label: '詳しくはこちら', url: 'https://' };
}

const httpsUrl = (u: string) => /^https:\/\/[^\s/]+\.[^\s]+$/.test(u.trim());

/** What must be fixed before saving, in staff words. */
export function contentProblems(c: Contents): string[] {
  const out: string[] = [];
  if (c.ja.length === 0) out.push('日本語の吹き出しを1つ以上作ってください。');
  for (const lang of LANGS) {
    c[lang].forEach((b, i) => {
      const n = `${LANGUAGE_LABELS[lang]} 吹き出し ${i + 1}（${BUBBLE_LABEL[b.type]}）`;
      if (b.type === 'text' && !b.text.trim()) out.push(`${n}: 本文を入力してください。`);
      if (b.type === 'image' && !b.mediaId) out.push(`${n}: 画像を選んでください。`);
      if (b.type === 'card') {
        if (!b.title.trim()) out.push(`${n}: 見出しを入力してください。`);
        if (b.button && (!b.button.label.trim() || !httpsUrl(b.button.url))) out.push(`${n}: ボタンの文字と、https:// で始まるアドレスを入力してください。`);
      }
      if (b.type === 'scenario' && (!b.text.trim() || !b.label.trim() || !b.scenarioId))
        out.push(`${n}: 本文・ボタンの文字を入れ、始めるシナリオを選んでください。`);
      if (b.type === 'link' && (!b.text.trim() || !b.label.trim() || !httpsUrl(b.url)))
        out.push(`${n}: 本文・ボタンの文字と、https:// で始まるアドレスを入力してください。`);
    });
  }
  return out;
}

export const usesName = (c: Contents) => LANGS.some((l) => c[l].some((b) => b.type === 'text' && b.text.includes('{name}')));

/** What the content is for: a delivery (配信) or a keyword rule's reply (返信). */
export type ContentPurpose = 'delivery' | 'reply';

/** The notes that differ: how many bubbles one send may have, what {name} costs, where links go. */
const NOTES: Record<ContentPurpose, { maxBubbles: string; name: string; link: string }> = {
  delivery: {
    maxBubbles: `1回の配信で送れる吹き出しは ${MAX_BUBBLES} 個までです（LINE の決まり）。`,
    name: '名前を入れると、友だち一人ひとりに別々に送ります（一斉送信より時間がかかり、送信回数も人数分になります）。',
    link: '押された回数を数えるため、市のサーバーを経由して開きます（誰が押したかは記録しません）。',
  },
  reply: {
    maxBubbles: `1回の返信で送れる吹き出しは ${MAX_BUBBLES} 個までです（LINE の決まり）。`,
    name: 'メッセージを送ってきた友だちの LINE の名前が入ります（名前がわからないときは「皆」が入り、「{name}さん」は「皆さん」になります）。',
    link: '書いたアドレスをそのまま開きます（返信のリンクは押された回数を数えません）。',
  },
};

/** Language tabs, up to five bubbles per language, and the phone preview beside them. */
export function ContentEditor(props: { contents: Contents; onChange: (c: Contents) => void; purpose?: ContentPurpose }) {
  const { contents } = props;
  const notes = NOTES[props.purpose ?? 'delivery'];
  const [lang, setLang] = useState<Lang>('ja');
  const [addType, setAddType] = useState<Bubble['type']>('text');
  const id = useId();
  const bubbles = contents[lang];
  const setBubbles = (next: Bubble[]) => props.onChange({ ...contents, [lang]: next });
  const move = (i: number, by: -1 | 1) => {
    const next = [...bubbles];
    const [b] = next.splice(i, 1);
    next.splice(i + by, 0, b);
    setBubbles(next);
  };
  const shown = bubbles.length ? bubbles : contents.ja;
  return (
    <div className="content-editor">
      <div className="content-edit-col">
        <div className="tabs" role="tablist" aria-label="メッセージの言語">
          {LANGS.map((l) => (
            <button key={l} type="button" role="tab" aria-selected={lang === l} className={lang === l ? 'tab active' : 'tab'} onClick={() => setLang(l)}>
              {LANGUAGE_LABELS[l]}
              {l === 'ja' ? <span className="tab-note">必須</span> : contents[l].length > 0 && <span className="tab-note">{contents[l].length}</span>}
            </button>
          ))}
        </div>
        <p className="hint">
          日本語は必須です。ほかの言語は任意で、<strong>未入力の言語の友だちには日本語を送ります</strong>（LINE アプリの言語設定で決まります）。
        </p>
        {lang !== 'ja' && bubbles.length === 0 && contents.ja.length > 0 && (
          <button type="button" className="button small" onClick={() => setBubbles(contents.ja.map((b) => ({ ...b })))}>
            日本語の吹き出しを写して翻訳する
          </button>
        )}
        {bubbles.map((b, i) => (
          <BubbleEditor
            key={`${lang}-${i}`}
            bubble={b}
            index={i}
            count={bubbles.length}
            onChange={(next) => setBubbles(bubbles.map((x, j) => (j === i ? next : x)))}
            onMove={(by) => move(i, by)}
            onRemove={() => setBubbles(bubbles.filter((_, j) => j !== i))}
            notes={notes}
          />
        ))}
        {bubbles.length < MAX_BUBBLES ? (
          <div className="add-item">
            <label className="field-label" htmlFor={`${id}-type`}>
              追加する吹き出し（{LANGUAGE_LABELS[lang]}、あと {MAX_BUBBLES - bubbles.length} 個まで）
            </label>
            <div className="add-item-row">
              <select id={`${id}-type`} value={addType} onChange={(e) => setAddType(e.target.value as Bubble['type'])}>
                {(Object.keys(BUBBLE_LABEL) as Bubble['type'][]).map((t) => (
                  <option key={t} value={t}>
                    {BUBBLE_LABEL[t]}
                  </option>
                ))}
              </select>
              <button type="button" className="button" onClick={() => setBubbles([...bubbles, newBubble(addType)])}>
                ＋ 吹き出しを追加
              </button>
            </div>
          </div>
        ) : (
          <p className="hint">{notes.maxBubbles}</p>
        )}
      </div>
      <div className="content-preview-col">
        <h3 className="subheading">プレビュー（{LANGUAGE_LABELS[lang]}）</h3>
        {lang !== 'ja' && bubbles.length === 0 && <p className="hint">この言語は未入力のため、日本語の内容が届きます。</p>}
        <PhonePreview bubbles={shown} lang={bubbles.length ? lang : 'ja'} label={`スマートフォンでの表示（${LANGUAGE_LABELS[lang]}）`} />
        <p className="hint">「{'{name}'}」は友だちの LINE の名前に置きかわります（ここでは見本の名前を表示）。</p>
      </div>
    </div>
  );
}

function BubbleEditor(props: {
  bubble: Bubble;
  index: number;
  count: number;
  onChange: (b: Bubble) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  notes: { name: string; link: string };
}) {
  const { bubble: b, index } = props;
  const id = useId();
  const n = `吹き出し ${index + 1}`;
  const textRef = useRef<HTMLTextAreaElement>(null);
  const insertName = () => {
    if (b.type !== 'text') return;
    const el = textRef.current;
    const at = el ? el.selectionStart : b.text.length;
    const end = el ? el.selectionEnd : b.text.length;
    // Rendered at once, then the caret goes after {name} in the same click: a caret move deferred
    // to the next frame could land after the next keystroke or paste and split it.
    flushSync(() => props.onChange({ ...b, text: b.text.slice(0, at) + '{name}' + b.text.slice(end) }));
    el?.focus();
    el?.setSelectionRange(at + 6, at + 6);
  };
  return (
    <section className="item-card bubble-card" aria-label={`${n}（${BUBBLE_LABEL[b.type]}）`}>
      <div className="item-head">
        <h4>
          {n}
          <span className="badge type-badge">{BUBBLE_LABEL[b.type]}</span>
        </h4>
        <div className="item-actions">
          <button type="button" className="button small" onClick={() => props.onMove(-1)} disabled={index === 0} aria-label={`${n} を上へ`}>
            ↑ 上へ
          </button>
          <button type="button" className="button small" onClick={() => props.onMove(1)} disabled={index === props.count - 1} aria-label={`${n} を下へ`}>
            ↓ 下へ
          </button>
          <button type="button" className="button small danger" onClick={props.onRemove} aria-label={`${n} を削除`}>
            削除
          </button>
        </div>
      </div>
      {b.type === 'text' && (
        <div className="field compact">
          <label htmlFor={`${id}-text`}>本文</label>
          <textarea id={`${id}-text`} ref={textRef} rows={4} maxLength={5000} value={b.text} onChange={(e) => props.onChange({ ...b, text: e.target.value })} />
          <div className="add-item-row">
            <button type="button" className="button small" onClick={insertName}>
              友だちの名前を入れる
            </button>
            <span className="hint">{props.notes.name}</span>
          </div>
        </div>
      )}
      {b.type === 'image' && (
        <>
          <ImagePicker label="画像" mediaId={b.mediaId} onChange={(mediaId) => props.onChange({ ...b, mediaId: mediaId ?? '' })} />
          <div className="field compact">
            <label htmlFor={`${id}-alt`}>画像の説明（通知や読み上げに使う文）</label>
            <input id={`${id}-alt`} value={b.alt ?? ''} maxLength={400} onChange={(e) => props.onChange({ ...b, alt: e.target.value || undefined })} />
          </div>
        </>
      )}
      {b.type === 'card' && (
        <>
          <div className="field compact">
            <label htmlFor={`${id}-tpl`}>カードの種類</label>
            <select id={`${id}-tpl`} value={b.template} onChange={(e) => props.onChange({ ...b, template: e.target.value as CardTemplate })}>
              {CARD_TEMPLATES.map((t) => (
                <option key={t} value={t}>
                  {TEMPLATE_LABEL[t]}
                </option>
              ))}
            </select>
          </div>
          <div className="field compact">
            <label htmlFor={`${id}-title`}>見出し</label>
            <input id={`${id}-title`} value={b.title} maxLength={100} onChange={(e) => props.onChange({ ...b, title: e.target.value })} />
          </div>
          <div className="field compact">
            <label htmlFor={`${id}-body`}>本文</label>
            <textarea id={`${id}-body`} rows={3} maxLength={1000} value={b.body} onChange={(e) => props.onChange({ ...b, body: e.target.value })} />
          </div>
          {b.template === 'event' && (
            <div className="inline-fields">
              <div className="field compact">
                <label htmlFor={`${id}-when`}>日時</label>
                <input
                  id={`${id}-when`}
                  value={b.when ?? ''}
                  placeholder="例: 6月1日（日）10時から"
                  onChange={(e) => props.onChange({ ...b, when: e.target.value || undefined })}
                />
              </div>
              <div className="field compact">
                <label htmlFor={`${id}-where`}>場所</label>
                <input
                  id={`${id}-where`}
                  value={b.where ?? ''}
                  placeholder="例: 荒尾総合文化センター"
                  onChange={(e) => props.onChange({ ...b, where: e.target.value || undefined })}
                />
              </div>
            </div>
          )}
          <ImagePicker label="画像（任意）" mediaId={b.mediaId} onChange={(mediaId) => props.onChange({ ...b, mediaId })} />
          <label className="choice">
            <input
              type="checkbox"
              checked={!!b.button}
              onChange={(e) => props.onChange({ ...b, button: e.target.checked ? { label: '詳しくはこちら', url: 'https://' } : undefined })}
            />
            ボタンをつける
          </label>
          {b.button && (
            <div className="inline-fields">
              <div className="field compact">
                <label htmlFor={`${id}-bl`}>ボタンの文字</label>
                <input
                  id={`${id}-bl`}
                  value={b.button.label}
                  maxLength={20}
                  onChange={(e) => props.onChange({ ...b, button: { ...b.button!, label: e.target.value } })}
                />
              </div>
              <div className="field compact">
                <label htmlFor={`${id}-bu`}>ボタンのアドレス</label>
                <input
                  id={`${id}-bu`}
                  type="url"
                  value={b.button.url}
                  onChange={(e) => props.onChange({ ...b, button: { ...b.button!, url: e.target.value.trim() } })}
                />
              </div>
            </div>
          )}
        </>
      )}
      {b.type === 'scenario' && <ScenarioFields id={id} bubble={b} onChange={props.onChange} />}
      {b.type === 'link' && (
        <>
          <div className="field compact">
            <label htmlFor={`${id}-lt`}>本文</label>
            <textarea id={`${id}-lt`} rows={2} maxLength={160} value={b.text} onChange={(e) => props.onChange({ ...b, text: e.target.value })} />
          </div>
          <div className="inline-fields">
            <div className="field compact">
              <label htmlFor={`${id}-ll`}>ボタンの文字</label>
              <input id={`${id}-ll`} value={b.label} maxLength={20} onChange={(e) => props.onChange({ ...b, label: e.target.value })} />
            </div>
            <div className="field compact">
              <label htmlFor={`${id}-lu`}>アドレス</label>
              <input id={`${id}-lu`} type="url" value={b.url} onChange={(e) => props.onChange({ ...b, url: e.target.value.trim() })} />
            </div>
          </div>
          <p className="hint">{props.notes.link}</p>
        </>
      )}
    </section>
  );
}

/** A scenario button: its text, its label, and which published scenario it starts. */
function ScenarioFields(props: { id: string; bubble: Extract<Bubble, { type: 'scenario' }>; onChange: (b: Bubble) => void }) {
  const { id, bubble: b } = props;
  return (
    <>
      <div className="field compact">
        <label htmlFor={`${id}-st`}>本文</label>
        <textarea id={`${id}-st`} rows={2} maxLength={160} value={b.text} onChange={(e) => props.onChange({ ...b, text: e.target.value })} />
      </div>
      <div className="inline-fields">
        <div className="field compact">
          <label htmlFor={`${id}-sl`}>ボタンの文字</label>
          <input id={`${id}-sl`} value={b.label} maxLength={20} onChange={(e) => props.onChange({ ...b, label: e.target.value })} />
        </div>
        <div className="field compact">
          <label htmlFor={`${id}-ss`}>始めるシナリオ</label>
          <ScenarioSelect id={`${id}-ss`} value={b.scenarioId} onChange={(scenarioId) => props.onChange({ ...b, scenarioId })} />
        </div>
      </div>
      <p className="hint">友だちがボタンを押すと、ボタンの文字が友だちのメッセージとして表示され、シナリオが始まります（公開中のシナリオだけ選べます）。</p>
    </>
  );
}

export function ImagePicker(props: { label: string; mediaId: string | undefined; onChange: (mediaId: string | undefined) => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const media = await uploadMedia(file);
      props.onChange(media.mediaId);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field compact image-picker">
      <label htmlFor={id}>{props.label}</label>
      {props.mediaId && <img className="image-picked" src={mediaUrl(props.mediaId)} alt="選んだ画像" />}
      <input id={id} type="file" accept="image/jpeg,image/png" disabled={busy} onChange={(e) => void pick(e.target.files?.[0])} />
      <p className="hint" role="status">
        {busy ? '画像を送っています…' : 'JPEG か PNG、5MB まで。LINE に合う大きさに自動で縮小します。'}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {props.mediaId && (
        <button type="button" className="button small" onClick={() => props.onChange(undefined)}>
          画像を外す
        </button>
      )}
    </div>
  );
}
