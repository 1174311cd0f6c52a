import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { LANGS, LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import { CHOICE_TYPES, ITEM_TYPES } from '../../../../functions/forms/vocabulary';
import {
  getForm,
  newId,
  publishForm,
  saveForm,
  unpublishForm,
  type Attribute,
  type Charset,
  type Choice,
  type Consent,
  type Form,
  type I18nText,
  type Item,
  type ItemType,
} from '../../api/forms';
import { Alert, Link, Loading, PageHeader } from '../../components/ui';
import { useConfirm } from '../../components/dialog';
import { formatDateTime, number } from '../../format';
import {
  ATTRIBUTE_LABEL,
  CHARSET_LABEL,
  IMAGE_TYPES,
  KindBadge,
  LiffLink,
  MEDIA_MAX_MB,
  MEDIA_TYPE_LABEL,
  StatusBadge,
  TYPE_HINT,
  TYPE_LABEL,
  VIDEO_TYPES,
  fromLocalInput,
  toLocalInput,
} from './common';
import { FormPreview } from './form-preview';

interface Draft {
  title: I18nText;
  description?: I18nText;
  opensAt: string; // datetime-local, Japan time
  closesAt: string;
  consent?: Consent;
  items: Item[];
}

const draftOf = (f: Form): Draft => ({
  title: f.title,
  description: f.description,
  opensAt: toLocalInput(f.opensAt),
  closesAt: toLocalInput(f.closesAt),
  consent: f.consent,
  items: f.items,
});

/** One language of a text changed; an emptied translation disappears (the citizen then sees Japanese). */
function setLang(text: I18nText | undefined, lang: Lang, value: string): I18nText {
  const next: I18nText = { ...(text ?? { ja: '' }) };
  if (lang === 'ja') next.ja = value;
  else if (value) next[lang] = value;
  else delete next[lang];
  return next;
}

function isEmptyText(t: I18nText | undefined): boolean {
  return !t || Object.values(t).every((v) => !v || !String(v).trim());
}

function newItem(type: ItemType): Item {
  const item: Item = { itemId: newId(), type, label: { ja: '' }, required: false, retired: false };
  if (CHOICE_TYPES.has(type)) item.choices = [{ choiceId: newId(), label: { ja: '' } }];
  if (type === 'text') item.text = { multiline: false, charset: 'any' };
  if (type === 'image') item.media = { maxBytes: MEDIA_MAX_MB.image * 1024 * 1024, types: [...IMAGE_TYPES] };
  if (type === 'video') item.media = { maxBytes: MEDIA_MAX_MB.video * 1024 * 1024, types: [...VIDEO_TYPES] };
  return item;
}

/** Every text staff wrote, for counting what a language still lacks. */
function allTexts(d: Draft): I18nText[] {
  const out: (I18nText | undefined)[] = [d.title, d.description, d.consent?.text, ...(d.consent?.links.map((l) => l.label) ?? [])];
  for (const i of d.items) {
    if (i.retired) continue;
    out.push(i.label, i.help, i.text?.patternHint);
    for (const c of i.choices ?? []) if (!c.retired) out.push(c.label);
  }
  return out.filter((t): t is I18nText => !!t && !!t.ja?.trim());
}

function missing(d: Draft, lang: Lang): number {
  if (lang === 'ja') return 0;
  return allTexts(d).filter((t) => !t[lang]?.trim()).length;
}

/** What must be fixed before saving, in staff words. */
function problemsOf(d: Draft): string[] {
  const out: string[] = [];
  if (!d.title.ja?.trim()) out.push('タイトル（日本語）を入力してください。');
  d.items.forEach((item, i) => {
    if (item.retired) return;
    const n = `質問 ${i + 1}`;
    if (!item.label.ja?.trim()) out.push(`${n}: 質問文（日本語）を入力してください。`);
    if (item.choices) {
      const live = item.choices.filter((c) => !c.retired);
      if (live.length === 0) out.push(`${n}: 選択肢を1つ以上用意してください。`);
      if (live.some((c) => !c.label.ja?.trim())) out.push(`${n}: 空の選択肢があります。日本語の選択肢名を入力するか、取り消してください。`);
    }
    if (item.text) {
      const { minLength, maxLength, pattern } = item.text;
      if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) out.push(`${n}: 最小文字数が最大文字数より大きくなっています。`);
      if (pattern) {
        try {
          new RegExp(pattern, 'u');
        } catch {
          out.push(`${n}: 「入力の形式（パターン）」が正しい正規表現ではありません。`);
        }
      }
    }
    if (item.media && item.media.types.length === 0) out.push(`${n}: 受け付けるファイルの種類を1つ以上選んでください。`);
  });
  if (d.consent) {
    d.consent.links.forEach((l, i) => {
      if (!l.label.ja?.trim()) out.push(`同意のリンク ${i + 1}: 表示する文字（日本語）を入力してください。`);
      if (!/^https:\/\/\S+$/.test(l.url)) out.push(`同意のリンク ${i + 1}: アドレスは https:// で始めてください。`);
    });
  }
  if (d.opensAt && d.closesAt && d.opensAt >= d.closesAt) out.push('受付終了は受付開始より後の日時にしてください。');
  return out;
}

/** フォーム編集: texts in five languages, items, consent, period; save (with the version), publish, preview. */
export function FormEditor(props: { formId: string }) {
  const { formId } = props;
  const [form, setForm] = useState<Form | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [lang, setLangTab] = useState<Lang>('ja');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [addType, setAddType] = useState<ItemType>('single');
  const [previewLang, setPreviewLang] = useState<Lang | null>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const f = await getForm(formId);
      setForm(f);
      setDraft(draftOf(f));
      setDirty(false);
      setConflict(false);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [formId]);

  useEffect(() => {
    void load();
  }, [load]);

  // Leaving with unsaved changes: the browser asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (loadError)
    return (
      <>
        <PageHeader title="フォーム編集" />
        <Alert>{loadError}</Alert>
        <Link to="/surveys">フォーム一覧へ戻る</Link>
      </>
    );
  if (!form || !draft) return <Loading />;

  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setDirty(true);
    setNotice(null);
  };
  const changeItem = (index: number, item: Item) => change({ items: draft.items.map((it, i) => (i === index ? item : it)) });
  const moveItem = (index: number, by: -1 | 1) => {
    const items = [...draft.items];
    const [it] = items.splice(index, 1);
    items.splice(index + by, 0, it);
    change({ items });
  };
  const savedIds = new Set(form.items.map((i) => i.itemId));

  const save = async () => {
    const problems = problemsOf(draft);
    if (problems.length) {
      setError(
        <>
          保存できませんでした。次の点を直してください。
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>,
      );
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await saveForm(formId, {
        title: draft.title,
        ...(isEmptyText(draft.description) ? {} : { description: draft.description }),
        ...(draft.opensAt ? { opensAt: fromLocalInput(draft.opensAt) } : {}),
        ...(draft.closesAt ? { closesAt: fromLocalInput(draft.closesAt) } : {}),
        ...(draft.consent ? { consent: { ...draft.consent, ...(isEmptyText(draft.consent.text) ? { text: undefined } : {}) } } : {}),
        items: draft.items,
        expectedVersion: form.version,
      });
      setForm(saved);
      setDraft(draftOf(saved));
      setDirty(false);
      setNotice(`保存しました（版 ${saved.version}）。${saved.status === 'published' ? '公開中のフォームにすぐ反映されます。' : ''}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(true);
      else setError(<ServerProblem error={e} />);
    } finally {
      setBusy(false);
    }
  };

  const setPublished = async (publish: boolean) => {
    if (
      !publish &&
      !(await ask({
        title: 'フォームを非公開にしますか',
        body: '非公開にすると、市民はこのフォームを開けなくなります（これまでの回答は残ります）。',
        confirm: '非公開にする',
        danger: true,
      }))
    )
      return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const next = await (publish ? publishForm(formId) : unpublishForm(formId));
      setForm(next);
      setDraft(draftOf(next));
      setDirty(false);
      setNotice(publish ? '公開しました。回答ページのアドレスを市民に案内できます。' : '非公開にしました。');
    } catch (e) {
      setError(<ServerProblem error={e} />);
    } finally {
      setBusy(false);
    }
  };

  const usedAttributes = new Set(draft.items.filter((i) => !i.retired && i.attribute).map((i) => i.attribute as Attribute));

  return (
    <>
      {confirmDialog}
      <p className="breadcrumb">
        <Link to="/surveys">アンケート・フォーム</Link> ›
      </p>
      <PageHeader title={form.title.ja || '（無題）'}>
        <Link to={`/surveys/${encodeURIComponent(formId)}/responses`} className="button">
          回答を見る
        </Link>
        <button type="button" className="button" onClick={() => setPreviewLang(previewLang ? null : lang)} aria-expanded={previewLang !== null}>
          {previewLang ? 'プレビューを閉じる' : 'プレビュー'}
        </button>
        <button type="button" className="button primary" onClick={save} disabled={busy || !dirty}>
          {busy ? '保存しています…' : '保存する'}
        </button>
      </PageHeader>
      <div className="card form-meta">
        <dl className="summary-list">
          <div>
            <dt>種類</dt>
            <dd>
              <KindBadge kind={form.kind} />
            </dd>
          </div>
          <div>
            <dt>状態</dt>
            <dd>
              <StatusBadge status={form.status} />
            </dd>
          </div>
          <div>
            <dt>版</dt>
            <dd>{form.version}</dd>
          </div>
          <div>
            <dt>最終更新</dt>
            <dd>
              {formatDateTime(form.updatedAt)}（{form.updatedByName ?? form.updatedBy}）
            </dd>
          </div>
        </dl>
        <div className="field">
          <span className="field-label">回答ページのアドレス</span>
          <LiffLink formId={formId} liffId={form.liffId} />
        </div>
        <div className="form-actions">
          {form.status === 'published' ? (
            <button type="button" className="button danger" onClick={() => setPublished(false)} disabled={busy || dirty}>
              非公開にする
            </button>
          ) : (
            <button type="button" className="button primary" onClick={() => setPublished(true)} disabled={busy || dirty}>
              公開する
            </button>
          )}
          {dirty && <span className="hint">保存していない変更があります。公開・非公開の切り替えは、保存してからできます。</span>}
        </div>
      </div>

      {conflict && (
        <Alert>
          <p className="alert-title">ほかの職員が、このフォームを先に保存しました。</p>
          <p>
            このままではあなたの変更を保存できません（相手の変更を上書きしないためです）。最新の内容を読み込んでから、もう一度変更してください。読み込むと、この画面で保存していない変更は消えます。
          </p>
          <button type="button" className="button" onClick={() => void load()}>
            最新の内容を読み込む
          </button>
        </Alert>
      )}
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}

      {previewLang && (
        <section className="card preview-panel" aria-label="プレビュー">
          <h2>プレビュー（市民に見える画面）</h2>
          <p className="hint">保存前の変更も含めて表示しています。翻訳のない文は日本語で表示されます。非表示にした質問・選択肢は出ません。</p>
          <LangTabs label="プレビューの言語" value={previewLang} onChange={setPreviewLang} />
          <FormPreview form={draft} lang={previewLang} />
        </section>
      )}

      <section className="card" aria-label="編集する言語">
        <LangTabs label="編集する言語" value={lang} onChange={setLangTab} badge={(l) => (missing(draft, l) ? `未翻訳 ${missing(draft, l)}` : '')} />
        <p className="hint">
          {lang === 'ja'
            ? '日本語は必須です。ほかの言語は任意で、翻訳がない文は市民に日本語で表示されます。'
            : `${LANGUAGE_LABELS[lang]} の文を入力します。空欄の文は「未翻訳 (日本語で表示)」となり、市民には日本語で表示されます。`}
        </p>
      </section>

      <section className="card form-editor" aria-labelledby="basics-h">
        <h2 id="basics-h">基本情報</h2>
        <I18nInput label="タイトル" text={draft.title} lang={lang} required onChange={(title) => change({ title })} />
        <I18nInput
          label="説明"
          text={draft.description}
          lang={lang}
          multiline
          onChange={(description) => change({ description })}
          hint="フォームの最初に表示する案内文です（任意）。"
        />
        <div className="inline-fields">
          <DateTimeField label="受付開始" value={draft.opensAt} onChange={(opensAt) => change({ opensAt })} />
          <DateTimeField label="受付終了" value={draft.closesAt} onChange={(closesAt) => change({ closesAt })} />
        </div>
        <p className="hint">空欄のときは、公開している間ずっと受け付けます。受付期間の外では、市民には「受付期間外です」と表示されます。</p>
      </section>

      <section className="card form-editor" aria-labelledby="items-h">
        <h2 id="items-h">質問（{draft.items.filter((i) => !i.retired).length} 問）</h2>
        <p className="hint">
          質問を削除すると、それまでに集まった回答が読めなくなってしまいます。そのため、使わなくなった質問は「この質問を非表示にする」を押してください。非表示にした質問は市民のフォームに出なくなりますが、これまでの回答は消えずに残り、「回答」の画面やCSVで見られます。「この質問を表示に戻す」でいつでも元に戻せます。選択肢も同じように「非表示にする」「表示に戻す」で扱います。
        </p>
        {draft.items.map((item, i) => (
          <ItemEditor
            key={item.itemId}
            item={item}
            index={i}
            count={draft.items.length}
            lang={lang}
            profile={form.kind === 'profile'}
            saved={savedIds.has(item.itemId)}
            savedChoices={new Set(form.items.find((s) => s.itemId === item.itemId)?.choices?.map((c) => c.choiceId) ?? [])}
            usedAttributes={usedAttributes}
            onChange={(next) => changeItem(i, next)}
            onMove={(by) => moveItem(i, by)}
            onDiscard={() => change({ items: draft.items.filter((_, j) => j !== i) })}
          />
        ))}
        <div className="add-item">
          <label className="field-label" htmlFor="add-type">
            追加する質問の種類
          </label>
          <div className="add-item-row">
            <select id="add-type" value={addType} onChange={(e) => setAddType(e.target.value as ItemType)}>
              {ITEM_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABEL[t]}
                </option>
              ))}
            </select>
            <button type="button" className="button" onClick={() => change({ items: [...draft.items, newItem(addType)] })}>
              ＋ 質問を追加
            </button>
          </div>
          <p className="hint">{TYPE_HINT[addType]}</p>
        </div>
      </section>

      <section className="card form-editor" aria-labelledby="consent-h">
        <h2 id="consent-h">回答前の同意</h2>
        <label className="choice">
          <input
            type="checkbox"
            checked={!!draft.consent}
            onChange={(e) => change({ consent: e.target.checked ? { text: { ja: '' }, links: [] } : undefined })}
          />
          回答の前に同意をもらう（個人情報の取り扱いなど）
        </label>
        {draft.consent && <ConsentEditor consent={draft.consent} lang={lang} onChange={(consent) => change({ consent })} />}
      </section>

      <div className="save-bar">
        <button type="button" className="button primary" onClick={save} disabled={busy || !dirty}>
          {busy ? '保存しています…' : '保存する'}
        </button>
        <span className="hint">{dirty ? '保存していない変更があります。' : '変更はすべて保存されています。'}</span>
      </div>
    </>
  );
}

function ServerProblem(props: { error: unknown }) {
  const e = props.error;
  const fields = e instanceof ApiError ? Object.entries(e.fieldErrors()) : [];
  return (
    <>
      {messageOf(e)}
      {fields.length > 0 && (
        <ul className="problems">
          {fields.map(([k, m]) => (
            <li key={k}>
              {where(k)}
              {m}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** "items.2.label.ja" → "質問 3: " (the server names fields by their place in the body). */
function where(path: string): string {
  const m = /^items\.(\d+)/.exec(path);
  if (m) return `質問 ${Number(m[1]) + 1}: `;
  if (path.startsWith('consent')) return '同意: ';
  if (path.startsWith('title')) return 'タイトル: ';
  return '';
}

function LangTabs(props: { label: string; value: Lang; onChange: (l: Lang) => void; badge?: (l: Lang) => string }) {
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {LANGS.map((l) => {
        const badge = props.badge?.(l);
        return (
          <button
            key={l}
            type="button"
            role="tab"
            aria-selected={props.value === l}
            className={props.value === l ? 'tab active' : 'tab'}
            onClick={() => props.onChange(l)}
          >
            {LANGUAGE_LABELS[l]}
            {l === 'ja' && <span className="tab-note">必須</span>}
            {badge && <span className="tab-note warn">{badge}</span>}
          </button>
        );
      })}
    </div>
  );
}

/** One text in the language being edited; other languages show the Japanese as a placeholder. */
function I18nInput(props: {
  label: string;
  text: I18nText | undefined;
  lang: Lang;
  onChange: (t: I18nText) => void;
  required?: boolean;
  multiline?: boolean;
  hint?: string;
  compact?: boolean;
}) {
  const id = useId();
  const { lang, text } = props;
  const value = (lang === 'ja' ? text?.ja : text?.[lang]) ?? '';
  const untranslated = lang !== 'ja' && !value && !!text?.ja?.trim();
  const hintId = `${id}-hint`;
  const hint = untranslated ? `未翻訳 (日本語で表示): ${text?.ja}` : props.hint;
  const common = {
    id,
    value,
    placeholder: lang === 'ja' ? undefined : text?.ja || undefined,
    'aria-describedby': hint ? hintId : undefined,
    onChange: (e: { target: { value: string } }) => props.onChange(setLang(text, lang, e.target.value)),
  };
  return (
    <div className={props.compact ? 'field compact' : 'field'}>
      <label htmlFor={id}>
        {props.label}（{LANGUAGE_LABELS[lang]}）{props.required && lang === 'ja' && <span className="required">必須</span>}
      </label>
      {props.multiline ? <textarea rows={3} {...common} /> : <input {...common} />}
      {hint && (
        <p className={untranslated ? 'hint untranslated' : 'hint'} id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

function DateTimeField(props: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="add-item-row">
        <input id={id} type="datetime-local" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
        {props.value && (
          <button type="button" className="button small" onClick={() => props.onChange('')}>
            消す
          </button>
        )}
      </div>
    </div>
  );
}

function NumberField(props: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  min?: number;
  max?: number;
  unit?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <span className="with-unit">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={props.min}
          max={props.max}
          value={props.value ?? ''}
          onChange={(e) => props.onChange(e.target.value === '' ? undefined : Math.max(props.min ?? 0, Math.floor(Number(e.target.value))))}
        />
        {props.unit}
      </span>
    </div>
  );
}

function ItemEditor(props: {
  item: Item;
  index: number;
  count: number;
  lang: Lang;
  profile: boolean;
  saved: boolean;
  savedChoices: Set<string>;
  usedAttributes: Set<Attribute>;
  onChange: (item: Item) => void;
  onMove: (by: -1 | 1) => void;
  onDiscard: () => void;
}) {
  const { item, index, lang } = props;
  const headingId = useId();
  const set = (patch: Partial<Item>) => props.onChange({ ...item, ...patch });
  const n = index + 1;
  return (
    <section className={item.retired ? 'item-card retired' : 'item-card'} aria-labelledby={headingId} data-item-id={item.itemId}>
      <div className="item-head">
        <h3 id={headingId}>
          質問 {n}
          <span className="badge type-badge">{TYPE_LABEL[item.type]}</span>
          {item.retired && <span className="badge form-status-unpublished">非表示</span>}
          {!props.saved && <span className="badge form-status-draft">未保存</span>}
          <span className="item-title">{item.label.ja}</span>
        </h3>
        <div className="item-actions">
          <button type="button" className="button small" onClick={() => props.onMove(-1)} disabled={index === 0} aria-label={`質問 ${n} を上へ`}>
            ↑ 上へ
          </button>
          <button type="button" className="button small" onClick={() => props.onMove(1)} disabled={index === props.count - 1} aria-label={`質問 ${n} を下へ`}>
            ↓ 下へ
          </button>
          {!props.saved ? (
            <button type="button" className="button small danger" onClick={props.onDiscard}>
              取り消す
            </button>
          ) : item.retired ? (
            <button type="button" className="button small" onClick={() => set({ retired: false })}>
              この質問を表示に戻す
            </button>
          ) : (
            <button type="button" className="button small danger" onClick={() => set({ retired: true })}>
              この質問を非表示にする
            </button>
          )}
        </div>
      </div>
      {item.retired ? (
        <p className="hint">この質問は市民のフォームに表示されません。これまでの回答は残っていて、「回答」の画面と CSV で見られます。</p>
      ) : (
        <div className="item-body">
          <I18nInput label="質問文" text={item.label} lang={lang} required onChange={(label) => set({ label })} compact />
          <I18nInput
            label="補足説明"
            text={item.help}
            lang={lang}
            onChange={(help) => set({ help: isEmptyText(help) ? undefined : help })}
            compact
            hint="質問の下に小さく表示します（任意）。"
          />
          <label className="choice">
            <input type="checkbox" checked={item.required} onChange={(e) => set({ required: e.target.checked })} />
            回答を必須にする
          </label>
          {item.choices && <ChoicesEditor choices={item.choices} lang={lang} saved={props.savedChoices} onChange={(choices) => set({ choices })} />}
          {item.type === 'text' && <TextLimits item={item} lang={lang} onChange={(text) => set({ text })} />}
          {item.media && (item.type === 'image' || item.type === 'video') && (
            <MediaLimits type={item.type} media={item.media} onChange={(media) => set({ media })} />
          )}
          {props.profile && item.choices && (
            <div className="field compact">
              <label htmlFor={`${headingId}-attr`}>友だちの属性として登録</label>
              <select
                id={`${headingId}-attr`}
                value={item.attribute ?? ''}
                onChange={(e) => set({ attribute: (e.target.value || undefined) as Attribute | undefined })}
              >
                <option value="">登録しない</option>
                {(Object.keys(ATTRIBUTE_LABEL) as Attribute[]).map((a) => (
                  <option key={a} value={a} disabled={a !== item.attribute && props.usedAttributes.has(a)}>
                    {ATTRIBUTE_LABEL[a]}
                    {a !== item.attribute && props.usedAttributes.has(a) ? '（ほかの質問で使用中）' : ''}
                  </option>
                ))}
              </select>
              <p className="hint">
                選んだ答えが友だちの「{item.attribute ? ATTRIBUTE_LABEL[item.attribute] : '属性'}」として保存され、セグメント（配信先の絞り込み）に使えます。
              </p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function ChoicesEditor(props: { choices: Choice[]; lang: Lang; saved: Set<string>; onChange: (c: Choice[]) => void }) {
  const { choices, lang } = props;
  const set = (i: number, c: Choice) => props.onChange(choices.map((x, j) => (j === i ? c : x)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...choices];
    const [c] = next.splice(i, 1);
    next.splice(i + by, 0, c);
    props.onChange(next);
  };
  return (
    <fieldset className="field choices">
      <legend>選択肢（{LANGUAGE_LABELS[lang]}）</legend>
      <ol className="choice-list">
        {choices.map((c, i) => {
          const value = (lang === 'ja' ? c.label.ja : c.label[lang]) ?? '';
          const untranslated = lang !== 'ja' && !value && !!c.label.ja;
          return (
            <li key={c.choiceId} className={c.retired ? 'retired' : undefined}>
              <input
                aria-label={`選択肢 ${i + 1}（${LANGUAGE_LABELS[lang]}）`}
                value={value}
                placeholder={lang === 'ja' ? '選択肢名' : c.label.ja}
                disabled={c.retired}
                onChange={(e) => set(i, { ...c, label: setLang(c.label, lang, e.target.value) })}
              />
              <span className="choice-actions">
                <button type="button" className="button small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`選択肢 ${i + 1} を上へ`}>
                  ↑
                </button>
                <button
                  type="button"
                  className="button small"
                  onClick={() => move(i, 1)}
                  disabled={i === choices.length - 1}
                  aria-label={`選択肢 ${i + 1} を下へ`}
                >
                  ↓
                </button>
                {!props.saved.has(c.choiceId) ? (
                  <button type="button" className="button small" onClick={() => props.onChange(choices.filter((_, j) => j !== i))}>
                    取り消す
                  </button>
                ) : c.retired ? (
                  <button type="button" className="button small" onClick={() => set(i, { ...c, retired: false })}>
                    表示に戻す
                  </button>
                ) : (
                  <button type="button" className="button small" onClick={() => set(i, { ...c, retired: true })}>
                    非表示にする
                  </button>
                )}
              </span>
              {c.retired && <span className="hint">非表示（これまでの回答は残ります）</span>}
              {untranslated && <span className="hint untranslated">未翻訳 (日本語で表示)</span>}
            </li>
          );
        })}
      </ol>
      <button type="button" className="button small" onClick={() => props.onChange([...choices, { choiceId: newId(), label: { ja: '' } }])}>
        ＋ 選択肢を追加
      </button>
    </fieldset>
  );
}

function TextLimits(props: { item: Item; lang: Lang; onChange: (t: NonNullable<Item['text']>) => void }) {
  const t = props.item.text ?? {};
  const set = (patch: Partial<NonNullable<Item['text']>>) => props.onChange({ ...t, ...patch });
  const id = useId();
  return (
    <fieldset className="field limits">
      <legend>入力の制限</legend>
      <label className="choice">
        <input type="checkbox" checked={!!t.multiline} onChange={(e) => set({ multiline: e.target.checked })} />
        複数行で入力（長い文章向け）
      </label>
      <div className="inline-fields">
        <NumberField label="最小文字数" value={t.minLength} min={0} unit="文字" onChange={(minLength) => set({ minLength })} />
        <NumberField label="最大文字数" value={t.maxLength} min={1} unit="文字" onChange={(maxLength) => set({ maxLength })} />
        <div className="field">
          <label htmlFor={`${id}-cs`}>使える文字</label>
          <select id={`${id}-cs`} value={t.charset ?? 'any'} onChange={(e) => set({ charset: e.target.value as Charset })}>
            {(Object.keys(CHARSET_LABEL) as Charset[]).map((c) => (
              <option key={c} value={c}>
                {CHARSET_LABEL[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-p`}>パターン（入力の形式・正規表現、上級者向け）</label>
        <input
          id={`${id}-p`}
          className="mono"
          value={t.pattern ?? ''}
          onChange={(e) => set({ pattern: e.target.value || undefined })}
          placeholder="例: ^[0-9]{3}-[0-9]{4}$"
        />
        <p className="hint">空欄なら形式は問いません。合わない入力には、下の「形式の説明」を市民に表示します。</p>
      </div>
      {t.pattern && (
        <I18nInput
          label="形式の説明"
          text={t.patternHint}
          lang={props.lang}
          onChange={(patternHint) => set({ patternHint: isEmptyText(patternHint) ? undefined : patternHint })}
          compact
          hint="例: 郵便番号をハイフンつきで入力してください（123-4567）"
        />
      )}
    </fieldset>
  );
}

function MediaLimits(props: { type: 'image' | 'video'; media: NonNullable<Item['media']>; onChange: (m: NonNullable<Item['media']>) => void }) {
  const { media, type } = props;
  const all = type === 'image' ? IMAGE_TYPES : VIDEO_TYPES;
  const limit = MEDIA_MAX_MB[type];
  const mb = Math.round((media.maxBytes / 1024 / 1024) * 10) / 10;
  return (
    <fieldset className="field limits">
      <legend>ファイルの制限</legend>
      <NumberField
        label={`最大サイズ（${limit} MB まで）`}
        value={mb}
        min={1}
        max={limit}
        unit="MB"
        onChange={(v) => props.onChange({ ...media, maxBytes: Math.min(limit, v ?? limit) * 1024 * 1024 })}
      />
      <div className="checkbox-grid">
        {all.map((t) => (
          <label key={t} className="choice">
            <input
              type="checkbox"
              checked={media.types.includes(t)}
              onChange={(e) => props.onChange({ ...media, types: e.target.checked ? [...media.types, t] : media.types.filter((x) => x !== t) })}
            />
            {MEDIA_TYPE_LABEL[t]}
          </label>
        ))}
      </div>
      <p className="hint">いまの上限: {number.format(mb)} MB。ファイルの中身で種類を確かめるので、拡張子だけ変えたファイルは受け付けません。</p>
    </fieldset>
  );
}

function ConsentEditor(props: { consent: Consent; lang: Lang; onChange: (c: Consent) => void }) {
  const { consent, lang } = props;
  const setLink = (i: number, patch: Partial<Consent['links'][number]>) =>
    props.onChange({ ...consent, links: consent.links.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  return (
    <div className="consent-editor">
      <p className="hint">フォームの最後に「同意します」のチェック欄を出し、チェックしないと送信できないようにします。</p>
      <I18nInput label="同意の文" text={consent.text} lang={lang} multiline onChange={(text) => props.onChange({ ...consent, text })} />
      <h3 className="subheading">参考リンク（プライバシーポリシーなど）</h3>
      {consent.links.map((l, i) => (
        <div key={i} className="link-row">
          <I18nInput label={`リンク ${i + 1} の表示文字`} text={l.label} lang={lang} compact onChange={(label) => setLink(i, { label })} />
          <div className="field compact">
            <label htmlFor={`consent-url-${i}`}>リンク {i + 1} のアドレス</label>
            <input
              id={`consent-url-${i}`}
              type="url"
              value={l.url}
              placeholder="https://www.city.arao.lg.jp/…"
              onChange={(e) => setLink(i, { url: e.target.value.trim() })}
            />
          </div>
          <button type="button" className="button small" onClick={() => props.onChange({ ...consent, links: consent.links.filter((_, j) => j !== i) })}>
            リンク {i + 1} を削除
          </button>
        </div>
      ))}
      <button type="button" className="button small" onClick={() => props.onChange({ ...consent, links: [...consent.links, { label: { ja: '' }, url: '' }] })}>
        ＋ リンクを追加
      </button>
    </div>
  );
}
