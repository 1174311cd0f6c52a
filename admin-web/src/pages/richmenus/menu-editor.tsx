/**
 * リッチメニュー › メニューの作成・編集: name, the bar's text, size, the image (uploaded as it is)
 * and the tap areas drawn on it (or made from a template), the phone's picture, save, publish.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { listForms } from '../../api/forms';
import { ScenarioSelect } from '../../components/scenario-select';
import {
  AREA_ACTION_TYPES,
  RICH_MENU_LIMITS,
  RICH_MENU_SIZES,
  createMenu,
  deleteMenu,
  getMenu,
  listMenus,
  menuImageUrl,
  publishMenu,
  unpublishMenu,
  updateMenu,
  uploadMenuImage,
  type AreaAction,
  type MenuInput,
  type RichMenuArea,
  type RichMenuSize,
  type RichMenuView,
} from '../../api/richmenus';
import { useConfirm } from '../../components/dialog';
import { Alert, Field, Link, Loading, PageHeader, SaveBarMessages } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { navigate } from '../../router';
import { graphemeCount } from '../../../../functions/shared/text';
import { AreaCanvas } from './area-canvas';
import {
  ACTION_LABELS,
  BASE,
  MenuState,
  SIZE_LABELS,
  TEMPLATES,
  actionText,
  boxText,
  menuPath,
  publishQuestion,
  sizeText,
  unpublishQuestion,
  type Template,
} from './common';
import { flashOnList } from './menu-list';
import { MenuPhone } from './menu-phone';

const L = RICH_MENU_LIMITS;
type Box = RichMenuArea['bounds'];

interface Draft {
  name: string;
  chatBarText: string;
  size: RichMenuSize;
  selected: boolean;
  areas: RichMenuArea[];
}

const draftOf = (m: RichMenuView): Draft => ({ name: m.name, chatBarText: m.chatBarText, size: m.size, selected: m.selected, areas: structuredClone(m.areas) });
const blank = (): Draft => ({ name: '', chatBarText: 'メニュー', size: 'compact', selected: true, areas: [] });

const inputOf = (d: Draft): MenuInput => ({
  name: d.name.trim(),
  chatBarText: d.chatBarText.trim(),
  size: d.size,
  selected: d.selected,
  areas: d.areas.map((a) => ({ bounds: { ...a.bounds }, label: a.label.trim(), action: a.action })),
});

const chars = (text: string, cap: number) => graphemeCount(text.trim(), cap);
/** Counts shown beside a field go this far (the server takes at most 100 characters there). */
const COUNT_CAP = 100;

/** What must be fixed before the server is asked (the server checks everything again, with its own words). */
function problemsOf(d: Draft): string[] {
  const out: string[] = [];
  if (!d.name.trim()) out.push('メニュー名を入力してください。');
  else if (chars(d.name, L.nameChars) > L.nameChars) out.push(`メニュー名は${L.nameChars}文字以内にしてください。`);
  if (!d.chatBarText.trim()) out.push('メニューバーの文字を入力してください。');
  else if (chars(d.chatBarText, L.chatBarChars) > L.chatBarChars) out.push(`メニューバーの文字は${L.chatBarChars}文字以内にしてください（LINEの上限）。`);
  if (d.areas.length > L.areas) out.push(`タップ領域は${L.areas}個までです（LINEの上限）。`);
  const { width, height } = RICH_MENU_SIZES[d.size];
  d.areas.forEach((a, i) => {
    const name = `領域${i + 1}`;
    const b = a.bounds;
    if (!a.label.trim()) out.push(`${name}: 名前を入力してください。`);
    else if (chars(a.label, L.labelChars) > L.labelChars) out.push(`${name}: 名前は${L.labelChars}文字以内にしてください。`);
    if (![b.x, b.y, b.width, b.height].every(Number.isInteger) || b.x < 0 || b.y < 0 || b.width < 1 || b.height < 1)
      out.push(`${name}: 位置と大きさは0以上の整数で入力してください（幅・高さは1以上）。`);
    else if (b.x + b.width > width || b.y + b.height > height) out.push(`${name}: 画像（${width}×${height}）からはみ出しています。`);
    const act = a.action;
    if (act.type === 'link' && !/^https:\/\/\S+$/.test(act.url.trim())) out.push(`${name}: https:// で始まるアドレスを入力してください。`);
    if (act.type === 'keyword' && !act.text.trim()) out.push(`${name}: 送る言葉を入力してください。`);
    if (act.type === 'keyword' && act.text.trim().length > L.keywordChars) out.push(`${name}: 送る言葉は${L.keywordChars}文字以内にしてください。`);
    if (act.type === 'form' && !act.formId.trim()) out.push(`${name}: 開くフォームを選んでください。`);
    if (act.type === 'postback' && !act.data) out.push(`${name}: データを入力してください。`);
    if (act.type === 'scenario' && !act.scenarioId) out.push(`${name}: 始めるシナリオを選んでください。`);
  });
  return out;
}

function emptyAction(type: AreaAction['type'], label: string): AreaAction {
  switch (type) {
    case 'link':
      return { type, url: '' };
    case 'keyword':
      return { type, text: label };
    case 'form':
      return { type, formId: '' };
    case 'scenario':
      return { type, scenarioId: '' };
    case 'chat':
      return { type };
    case 'postback':
      return { type, data: '' };
  }
}

const newArea = (bounds: Box, n: number): RichMenuArea => ({ bounds, label: `ボタン${n}`, action: { type: 'keyword', text: '' } });

interface SaveError {
  message: string;
  problems: string[];
}

function saveErrorOf(err: unknown): SaveError {
  if (!(err instanceof ApiError)) return { message: messageOf(err), problems: [] };
  const problems = [...new Set(err.details.map((d) => d.message).filter((m): m is string => !!m && m !== err.message))];
  return { message: err.message, problems };
}

/** Published forms the area may open; `null` while loading, 'denied' for staff without フォーム. */
type FormChoices = { formId: string; title: string; kind: string }[] | 'denied' | null;

/** A message carried to the new menu's own page after it was created (the address changes). */
let flash: string | null = null;

export function MenuEditor(props: { menuId: string | null }) {
  const { menuId } = props;
  const id = useId();
  const [menu, setMenu] = useState<RichMenuView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(menuId ? null : blank());
  const [saved, setSaved] = useState(() => (menuId ? '' : JSON.stringify(blank())));
  const [selected, setSelected] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [saveError, setSaveError] = useState<SaveError | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [notice, setNotice] = useState<string | null>(() => {
    const f = flash;
    flash = null;
    return f;
  });
  const [busy, setBusy] = useState(false);
  const [forms, setForms] = useState<FormChoices>(null);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    if (!menuId) return;
    setLoadError(null);
    try {
      const m = await getMenu(menuId);
      setMenu(m);
      setDraft(draftOf(m));
      setSaved(JSON.stringify(draftOf(m)));
      setConflict(null);
      setSaveError(null);
      setSelected(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [menuId]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    let live = true;
    listForms()
      .then((answer) => {
        if (live) setForms(answer.items.filter((f) => f.status === 'published').map((f) => ({ formId: f.formId, title: f.title.ja, kind: f.kind })));
      })
      .catch(() => {
        if (live) setForms('denied');
      });
    return () => {
      live = false;
    };
  }, []);

  if (loadError)
    return (
      <>
        <PageHeader title="リッチメニュー" />
        <Alert>{loadError}</Alert>
        <Link to={BASE}>メニュー一覧へ戻る</Link>
      </>
    );
  if (!draft) return <Loading />;

  const { width, height } = RICH_MENU_SIZES[draft.size];
  const imageUrl = menu ? menuImageUrl(menu) : null;
  const dirty = JSON.stringify(draft) !== saved;
  const barCount = chars(draft.chatBarText, COUNT_CAP);
  const full = draft.areas.length >= L.areas;
  const area = selected !== null ? draft.areas[selected] : undefined;

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setNotice(null);
  };
  const changeArea = (i: number, patch: Partial<RichMenuArea>) => change({ areas: draft.areas.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const changeBox = (i: number, patch: Partial<Box>) => changeArea(i, { bounds: { ...draft.areas[i]!.bounds, ...patch } });

  const addArea = (box: Box) => {
    if (full) return;
    change({ areas: [...draft.areas, newArea(box, draft.areas.length + 1)] });
    setSelected(draft.areas.length);
  };
  const removeArea = (i: number) => {
    change({ areas: draft.areas.filter((_, j) => j !== i) });
    setSelected(null);
  };
  const applyTemplate = async (t: Template) => {
    if (draft.areas.length > 0) {
      const yes = await ask({
        title: 'ひな形を使う',
        body: (
          <p>
            いまのタップ領域（{number.format(draft.areas.length)}個）を消して、「{t.label}」の領域に置き換えます。
          </p>
        ),
        confirm: '置き換える',
      });
      if (!yes) return;
    }
    change({ areas: t.boxes().map((b, i) => newArea(b, i + 1)) });
    setSelected(0);
  };

  const clearMessages = () => {
    setSaveError(null);
    setConflict(null);
    setNotice(null);
  };
  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409) setConflict(err.message);
    else setSaveError(saveErrorOf(err));
  };

  const save = async () => {
    const found = problemsOf(draft);
    setProblems(found);
    clearMessages();
    if (found.length) return;
    setBusy(true);
    try {
      if (menu) {
        const next = await updateMenu(menu.menuId, { ...inputOf(draft), version: menu.version });
        setMenu(next);
        setDraft(draftOf(next));
        setSaved(JSON.stringify(draftOf(next)));
        setNotice(
          next.isDefault
            ? `「${next.name}」を保存しました。公開中のメニューです: 友だちに届けるには「変更を公開する」を押してください。`
            : `「${next.name}」を保存しました。`,
        );
      } else {
        const created = await createMenu(inputOf(draft));
        flash = `「${created.name}」を作成しました。画像をアップロードして、タップ領域を決めてください。`;
        navigate(menuPath(created.menuId), { replace: true });
      }
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File | undefined) => {
    if (!file || !menu) return;
    setUploading(true);
    setImageError(null);
    clearMessages();
    try {
      const next = await uploadMenuImage(menu.menuId, file);
      // Only the image and version changed on the server: the unsaved changes here stay.
      setMenu(next);
      setNotice(`画像「${file.name}」をアップロードしました。`);
    } catch (err) {
      setImageError(messageOf(err));
    } finally {
      setUploading(false);
    }
  };

  const publish = async () => {
    if (!menu) return;
    let live: RichMenuView | null = null;
    try {
      live = (await listMenus()).items.find((m) => m.isDefault && m.menuId !== menu.menuId) ?? null;
    } catch {
      // The question still says what happens to every friend.
    }
    if (!(await ask(publishQuestion(menu, live)))) return;
    setBusy(true);
    clearMessages();
    try {
      const next = await publishMenu(menu.menuId, menu.version);
      setMenu(next);
      setNotice(`「${next.name}」を公開しました。友だち全員のLINEのメニューが、これに替わります。`);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const unpublish = async () => {
    if (!menu || !(await ask(unpublishQuestion(menu)))) return;
    setBusy(true);
    clearMessages();
    try {
      const next = await unpublishMenu(menu.menuId, menu.version);
      setMenu(next);
      setNotice(`「${next.name}」の公開をやめました。友だちのLINEにはメニューが出ません。`);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!menu) return;
    const yes = await ask({
      title: 'メニューの削除',
      body: (
        <>
          <p>メニュー「{menu.name}」を削除しますか？</p>
          <p className="hint">画像とタップ領域も消え、元に戻せません。</p>
        </>
      ),
      confirm: '削除する',
      danger: true,
    });
    if (!yes) return;
    setBusy(true);
    clearMessages();
    try {
      await deleteMenu(menu.menuId, menu.version);
      flashOnList(`メニュー「${menu.name}」を削除しました。`);
      navigate(BASE);
    } catch (err) {
      failed(err);
      setBusy(false);
    }
  };

  const templates = TEMPLATES.filter((t) => t.size === draft.size);

  return (
    <>
      <p className="breadcrumb">
        <Link to={BASE}>リッチメニュー</Link> ›
      </p>
      <PageHeader title={menu ? menu.name : '新しいメニュー'}>{menu && <MenuState menu={menu} />}</PageHeader>
      {menu?.isDefault && menu.changedSincePublish && (
        <Alert kind="info">公開した後に変更があります。友だちには前に公開した内容が出ています。「変更を公開する」を押すと、いまの内容に替わります。</Alert>
      )}

      <div className="rm-top">
        <section className="card form-editor rm-basics" aria-labelledby={`${id}-basics`}>
          <h2 id={`${id}-basics`}>メニュー</h2>
          <Field label="メニュー名" required hint={`一覧に出る名前です（友だちには見えません）。${L.nameChars}文字まで。`}>
            {(fid, describedBy) => (
              <input id={fid} aria-describedby={describedBy} value={draft.name} maxLength={L.nameChars} onChange={(e) => change({ name: e.target.value })} />
            )}
          </Field>
          <Field
            label={`メニューバーの文字（${number.format(barCount)} / ${L.chatBarChars}）`}
            required
            error={barCount > L.chatBarChars ? `${L.chatBarChars}文字以内にしてください（LINEの上限）。` : undefined}
            hint="トーク画面の下のバーに出る文字です。押すとメニューが開いたり閉じたりします（例: メニュー、市の案内）。"
          >
            {(fid, describedBy) => (
              <input id={fid} aria-describedby={describedBy} value={draft.chatBarText} onChange={(e) => change({ chatBarText: e.target.value })} />
            )}
          </Field>
          <fieldset className="field">
            <legend>
              大きさ<span className="required">必須</span>
            </legend>
            <div className="radio-row">
              {(Object.keys(RICH_MENU_SIZES) as RichMenuSize[]).map((s) => (
                <label key={s} className="choice">
                  <input
                    type="radio"
                    name={`${id}-size`}
                    checked={draft.size === s}
                    disabled={!!menu?.image}
                    onChange={() => {
                      change({ size: s });
                      setSelected(null);
                    }}
                  />
                  {sizeText(s)}
                </label>
              ))}
            </div>
            <p className="hint">
              {menu?.image
                ? '画像をアップロードした後は、大きさを変えられません（別の大きさにするときは、新しいメニューを作ってください）。'
                : '画像の大きさ（ピクセル）です。「大」は画面の半分ほど、「小」はその半分の高さです。'}
            </p>
          </fieldset>
          <fieldset className="field">
            <legend>トーク画面を開いたとき</legend>
            <div className="radio-row">
              <label className="choice">
                <input type="checkbox" checked={draft.selected} onChange={(e) => change({ selected: e.target.checked })} />
                最初からメニューを開いておく
              </label>
            </div>
          </fieldset>
        </section>
        <aside className="rm-preview" aria-label="プレビュー">
          <MenuPhone width={width} height={height} imageUrl={imageUrl} chatBarText={draft.chatBarText} areas={draft.areas} />
          <p className="hint rm-preview-hint">番号は下のタップ領域の番号です（友だちのLINEには出ません）。</p>
        </aside>
      </div>

      <section className="card" aria-labelledby={`${id}-image`}>
        <h2 id={`${id}-image`}>画像とタップ領域</h2>
        <div className="rm-image-head">
          <div className="file-pick">
            <input
              id={`${id}-file`}
              className="visually-hidden"
              type="file"
              accept="image/png,image/jpeg"
              disabled={!menu || uploading}
              aria-describedby={`${id}-file-hint`}
              onChange={(e) => {
                void upload(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
            <label htmlFor={`${id}-file`} className={`button small${!menu || uploading ? ' disabled' : ''}`}>
              {uploading ? 'アップロードしています…' : menu?.image ? '画像を差し替える' : '画像を選ぶ'}
            </label>
            {menu?.image && (
              <span className="hint">
                {menu.image.contentType === 'image/png' ? 'PNG' : 'JPEG'}、{number.format(Math.ceil(menu.image.bytes / 1024))}KB
              </span>
            )}
          </div>
          <p className="hint" id={`${id}-file-hint`}>
            {menu
              ? `JPEG か PNG、ちょうど ${width}×${height} ピクセル、1MB までの画像です。選ぶとすぐにアップロードします。`
              : '画像は、メニューをいちど保存してからアップロードできます。先にタップ領域を決めておくこともできます。'}
          </p>
          {imageError && <Alert>{imageError}</Alert>}
        </div>

        <div className="rm-templates">
          <span className="rm-templates-label">ひな形（{SIZE_LABELS[draft.size]}）:</span>
          {templates.map((t) => (
            <button key={t.id} type="button" className="button small" onClick={() => void applyTemplate(t)}>
              {t.label}
            </button>
          ))}
        </div>

        <div className="rm-workspace">
          <div className="rm-canvas-col">
            <AreaCanvas
              width={width}
              height={height}
              imageUrl={imageUrl}
              areas={draft.areas}
              selected={selected}
              canAdd={!full}
              onSelect={setSelected}
              onDraw={addArea}
              onBox={(i, box) => changeBox(i, box)}
            />
            <p className="hint">
              画像の上をマウス（タブレットでは指）でなぞると、タップ領域ができます。領域をつかんで動かし、四すみの四角で大きさを変えられます。
              {full && ` タップ領域は${L.areas}個までです（LINEの上限）。`}
            </p>
          </div>
          <div className="rm-areas-col">
            <h3>
              タップ領域（{number.format(draft.areas.length)} / {L.areas}）
            </h3>
            {draft.areas.length === 0 ? (
              <p className="muted">まだありません。画像の上をなぞるか、ひな形を選んでください。</p>
            ) : (
              <ol className="rm-area-list" aria-label="タップ領域の一覧">
                {draft.areas.map((a, i) => (
                  <li key={i} className={selected === i ? 'selected' : undefined}>
                    <button type="button" className="rm-area-pick" aria-pressed={selected === i} onClick={() => setSelected(i)}>
                      <span className="rm-area-no">{i + 1}</span>
                      <span className="rm-area-text">
                        <strong>{a.label || '（名前なし）'}</strong>
                        <span className="hint">
                          {actionText(a.action)}・{boxText(a.bounds)}
                        </span>
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            )}
            {area && selected !== null && (
              <AreaForm
                key={selected}
                index={selected}
                area={area}
                forms={forms}
                onChange={(patch) => changeArea(selected, patch)}
                onBox={(patch) => changeBox(selected, patch)}
                onRemove={() => removeArea(selected)}
              />
            )}
          </div>
        </div>
      </section>

      <div className="save-bar settings-save-bar">
        <SaveBarMessages conflict={conflict} onReload={() => void load()} problems={problems} saveError={saveError} notice={notice} />
        <div className="save-bar-row">
          <button type="button" className="button primary" onClick={() => void save()} disabled={busy}>
            {busy ? '処理しています…' : '保存する'}
          </button>
          {menu && (!menu.isDefault || menu.changedSincePublish) && (
            <button type="button" className="button" onClick={() => void publish()} disabled={busy || dirty}>
              {menu.isDefault ? '変更を公開する' : '公開する'}
            </button>
          )}
          {menu?.isDefault && (
            <button type="button" className="button" onClick={() => void unpublish()} disabled={busy}>
              公開をやめる
            </button>
          )}
          <Link to={BASE} className="button">
            一覧へ戻る
          </Link>
          {menu && !menu.isDefault && (
            <button type="button" className="button danger" onClick={() => void remove()} disabled={busy}>
              削除する
            </button>
          )}
          {dirty ? <span className="unsaved">保存していない変更があります{menu ? '（公開は保存してから）' : ''}</span> : null}
          {menu && (
            <span className="hint">
              最終更新 {formatDateTime(menu.updatedAt)}（{menu.updatedBy}）
            </span>
          )}
        </div>
      </div>
      {dialog}
    </>
  );
}

/** The selected area: its name, what a tap does, and its place in the image's pixels. */
function AreaForm(props: {
  index: number;
  area: RichMenuArea;
  forms: FormChoices;
  onChange: (patch: Partial<RichMenuArea>) => void;
  onBox: (patch: Partial<Box>) => void;
  onRemove: () => void;
}) {
  const { area, index } = props;
  const act = area.action;
  const labelCount = chars(area.label, COUNT_CAP);
  const setAction = (action: AreaAction) => props.onChange({ action });
  const num = (v: string) => (v.trim() === '' ? 0 : Math.round(Number(v)));
  const boxField = (key: keyof Box, label: string) => (
    <Field label={label}>
      {(fid) => (
        <input
          id={fid}
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={Number.isFinite(area.bounds[key]) ? area.bounds[key] : 0}
          onChange={(e) => props.onBox({ [key]: num(e.target.value) })}
        />
      )}
    </Field>
  );
  return (
    <section className="rm-area-form" aria-label={`領域${index + 1}の設定`}>
      <h3>領域{index + 1}の設定</h3>
      <Field
        label={`名前（${number.format(labelCount)} / ${L.labelChars}）`}
        required
        error={labelCount > L.labelChars ? `${L.labelChars}文字以内にしてください。` : undefined}
        hint="読み上げ機能で読まれる名前です（画像の中の文字と同じにしてください）。"
      >
        {(fid, describedBy) => <input id={fid} aria-describedby={describedBy} value={area.label} onChange={(e) => props.onChange({ label: e.target.value })} />}
      </Field>
      <Field label="押したときの動き" required>
        {(fid) => (
          <select id={fid} value={act.type} onChange={(e) => setAction(emptyAction(e.target.value as AreaAction['type'], area.label.trim()))}>
            {AREA_ACTION_TYPES.map((t) => (
              <option key={t} value={t}>
                {ACTION_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {act.type === 'link' && (
        <Field label="アドレス（URL）" required hint="https:// で始まるアドレスです。LINEの中でそのページが開きます。">
          {(fid, describedBy) => (
            <input
              id={fid}
              aria-describedby={describedBy}
              type="url"
              value={act.url}
              placeholder="https://www.city.arao.lg.jp/"
              onChange={(e) => setAction({ type: 'link', url: e.target.value })}
            />
          )}
        </Field>
      )}
      {act.type === 'keyword' && (
        <Field
          label="送る言葉"
          required
          hint="押すと、この言葉が友だちのメッセージとして送られ、キーワード応答のルールが答えます（パソコン版のLINEでは、同じ言葉を入力すれば答えます）。"
        >
          {(fid, describedBy) => (
            <input
              id={fid}
              aria-describedby={describedBy}
              value={act.text}
              maxLength={L.keywordChars}
              placeholder="例: ごみの出し方"
              onChange={(e) => setAction({ type: 'keyword', text: e.target.value })}
            />
          )}
        </Field>
      )}
      {act.type === 'form' && <FormPick formId={act.formId} forms={props.forms} onChange={(formId) => setAction({ type: 'form', formId })} />}
      {act.type === 'scenario' && <ScenarioPick scenarioId={act.scenarioId} onChange={(scenarioId) => setAction({ type: 'scenario', scenarioId })} />}
      {act.type === 'postback' && (
        <>
          <Field label="データ" required hint="システムが受け取る文字です（システム担当と決めた値を入れてください）。友だちには見えません。">
            {(fid, describedBy) => (
              <input
                id={fid}
                aria-describedby={describedBy}
                className="mono"
                value={act.data}
                maxLength={L.postbackChars}
                onChange={(e) => setAction({ ...act, data: e.target.value })}
              />
            )}
          </Field>
          <Field label="トークに出す文字（任意）" hint="押したとき、友だちのメッセージとしてトークに出る文字です。">
            {(fid, describedBy) => (
              <input
                id={fid}
                aria-describedby={describedBy}
                value={act.displayText ?? ''}
                maxLength={L.keywordChars}
                onChange={(e) => setAction({ type: 'postback', data: act.data, ...(e.target.value ? { displayText: e.target.value } : {}) })}
              />
            )}
          </Field>
        </>
      )}
      <fieldset className="field rm-box-fields">
        <legend>位置と大きさ（画像のピクセル）</legend>
        <div className="rm-box-grid">
          {boxField('x', '左端 x')}
          {boxField('y', '上端 y')}
          {boxField('width', '幅')}
          {boxField('height', '高さ')}
        </div>
      </fieldset>
      <button type="button" className="button small danger" onClick={props.onRemove}>
        領域{index + 1}を削除
      </button>
    </section>
  );
}

/** The form an area opens: chosen from the published forms, or typed (staff who cannot see the forms). */
/** A published scenario for a scenario area (its name shows as the friend's message when tapped). */
function ScenarioPick(props: { scenarioId: string; onChange: (scenarioId: string) => void }) {
  return (
    <Field
      label="始めるシナリオ"
      required
      hint="押すと、領域の名前が友だちのメッセージとしてトークに出て、シナリオが始まります。公開中のシナリオだけを選べます（「シナリオ」で公開してください）。"
    >
      {(fid, describedBy) => <ScenarioSelect id={fid} describedBy={describedBy} value={props.scenarioId} onChange={props.onChange} />}
    </Field>
  );
}

function FormPick(props: { formId: string; forms: FormChoices; onChange: (formId: string) => void }) {
  const { forms } = props;
  if (forms === null) return <Loading />;
  if (forms === 'denied' || forms.length === 0)
    return (
      <Field
        label="フォームのID"
        required
        hint={
          forms === 'denied'
            ? 'フォームの一覧は「フォーム」の権限がある職員だけが見られます。開くフォームのID（フォームのアドレスの最後の部分）を、フォームの担当者に聞いて入力してください。公開中のフォームだけを選べます。'
            : '公開中のフォームがありません。「フォーム」で公開してから選んでください。'
        }
      >
        {(fid, describedBy) => (
          <input id={fid} aria-describedby={describedBy} className="mono" value={props.formId} onChange={(e) => props.onChange(e.target.value.trim())} />
        )}
      </Field>
    );
  return (
    <Field label="開くフォーム" required hint="公開中のフォームです。押すと、友だちのLINEの中でフォームが開きます（友だちの名前などは入力済み）。">
      {(fid, describedBy) => (
        <select id={fid} aria-describedby={describedBy} value={props.formId} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">選んでください</option>
          {forms.map((f) => (
            <option key={f.formId} value={f.formId}>
              {f.kind === 'profile' ? `${f.title}（プロフィール登録）` : f.title}
            </option>
          ))}
          {props.formId && !forms.some((f) => f.formId === props.formId) && <option value={props.formId}>{props.formId}（公開されていないフォーム）</option>}
        </select>
      )}
    </Field>
  );
}
