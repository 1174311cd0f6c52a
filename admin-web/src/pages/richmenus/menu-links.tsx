/**
 * リッチメニュー › 表示の切り替え: disaster mode (its state and the one-click switch), the menus per
 * segment in order (the first segment that holds a friend decides), and the disaster menu with the
 * alert kinds that switch it on. Shown under the menu list.
 */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import {
  ALERT_KIND_LABELS,
  DISASTER_ALERT_KINDS,
  SEGMENT_MENUS_MAX,
  getMenuLinks,
  saveMenuLinks,
  switchDisaster,
  type DisasterAlertKind,
  type MenuLinksInput,
  type MenuLinksView,
  type RichMenuView,
} from '../../api/richmenus';
import { useConfirm } from '../../components/dialog';
import { Alert, Loading } from '../../components/ui';
import { formatDateTime, number } from '../../format';

const DISASTER_KINDS: readonly DisasterAlertKind[] = DISASTER_ALERT_KINDS;

/** Who switched, in words (the bridge's name as it is). */
const byText = (by?: string) => (by ? `（${by}）` : '');

export function MenuLinks(props: { menus: RichMenuView[]; onChanged: () => void }) {
  const { menus, onChanged } = props;
  const [view, setView] = useState<MenuLinksView | null>(null);
  const [draft, setDraft] = useState<MenuLinksInput | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    try {
      const v = await getMenuLinks();
      setView(v);
      setDraft({ version: v.settings.version, segmentMenus: v.settings.segmentMenus, disaster: v.settings.disaster });
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (!view || !draft) return error ? <Alert>{error}</Alert> : <Loading />;

  const usable = menus.filter((m) => m.image && m.areas.length > 0);
  const menuName = (menuId?: string) => menus.find((m) => m.menuId === menuId)?.name ?? 'なし';
  const segmentName = (segmentId: string) => view.segments.find((s) => s.segmentId === segmentId)?.name ?? '（削除されたセグメント）';
  const disaster = view.disaster;
  const dirty =
    JSON.stringify(draft) !== JSON.stringify({ version: view.settings.version, segmentMenus: view.settings.segmentMenus, disaster: view.settings.disaster });

  const run = async (what: () => Promise<MenuLinksView>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const v = await what();
      setView(v);
      setDraft({ version: v.settings.version, segmentMenus: v.settings.segmentMenus, disaster: v.settings.disaster });
      setNotice(done);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const toggleDisaster = async () => {
    const on = !disaster.active;
    const ok = await ask(
      on
        ? {
            title: '災害モードを開始する',
            body: (
              <>
                <p>
                  <strong>友だち全員のLINEのメニューが、災害メニュー「{menuName(view.settings.disaster.menuId)}」に替わります。</strong>
                </p>
                <p>友だちごとのメニューも、災害モードのあいだは災害メニューになります。終えると元に戻ります。</p>
              </>
            ),
            confirm: '災害モードを開始する',
            danger: true,
          }
        : {
            title: '災害モードを終える',
            body: <p>友だちのメニューを、ふだんのメニュー（友だちごとのメニューを含む）に戻します。</p>,
            confirm: '災害モードを終える',
          },
    );
    if (!ok) return;
    await run(
      () => switchDisaster(on, disaster.version),
      on ? '災害モードを開始しました。友だちのLINEのメニューが順に災害メニューに替わります。' : '災害モードを終えました。友だちのメニューが順に元に戻ります。',
    );
  };

  const setRow = (i: number, row: Partial<MenuLinksInput['segmentMenus'][number]>) =>
    setDraft({ ...draft, segmentMenus: draft.segmentMenus.map((r, j) => (j === i ? { ...r, ...row } : r)) });
  const move = (i: number, by: -1 | 1) => {
    const rows = [...draft.segmentMenus];
    const [row] = rows.splice(i, 1);
    rows.splice(i + by, 0, row!);
    setDraft({ ...draft, segmentMenus: rows });
  };
  const kinds = new Set(draft.disaster.onKinds ?? []);

  return (
    <>
      {notice && <Alert kind="success">{notice}</Alert>}
      {error && <Alert>{error}</Alert>}
      <section className={`card rm-disaster${disaster.active ? ' rm-disaster-on' : ''}`} aria-labelledby="rm-disaster-h">
        <h2 id="rm-disaster-h">災害モード</h2>
        <p role="status" className="rm-disaster-state">
          {disaster.active ? (
            <>
              <strong>災害モード中</strong>：友だち全員に災害メニュー「{menuName(view.settings.disaster.menuId)}」を表示しています。
              {disaster.since && (
                <span className="hint">
                  {formatDateTime(disaster.since)} から{byText(disaster.by)}
                  {disaster.kinds.length > 0 && `。対象の警報：${disaster.kinds.map((k) => ALERT_KIND_LABELS[k]).join('、')}`}
                </span>
              )}
            </>
          ) : (
            <>
              ふだんのメニューを表示しています。
              {disaster.since && (
                <span className="hint">
                  {formatDateTime(disaster.since)} に災害モードを終了{byText(disaster.by)}
                </span>
              )}
            </>
          )}
        </p>
        <button
          type="button"
          className={`button ${disaster.active ? '' : 'danger'}`}
          disabled={busy || (!disaster.active && !view.settings.disaster.menuId)}
          onClick={() => void toggleDisaster()}
        >
          {disaster.active ? '災害モードを終える' : '災害モードを開始する'}
        </button>
        {!view.settings.disaster.menuId && <p className="hint">下の「災害メニュー」でメニューを選んで保存すると、開始できます。</p>}
      </section>

      <section className="card" aria-labelledby="rm-links-h">
        <h2 id="rm-links-h">友だちごとのメニュー</h2>
        <p className="muted">
          セグメントごとに別のメニューを出せます（英語の方には英語のメニュー、プロフィール未登録の方には登録を勧めるメニュー など）。
          上から順に見て、最初に当てはまったセグメントのメニューが出ます。どれにも当てはまらない友だちには、公開中のメニューが出ます。
          友だちの回答や属性が変わると、メニューも替わります。
        </p>
        {draft.segmentMenus.length === 0 && <p className="hint">まだありません。友だち全員に同じメニューが出ています。</p>}
        {draft.segmentMenus.length > 0 && (
          <div className="table-scroll">
            <table className="table" aria-label="友だちごとのメニュー">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    順
                  </th>
                  <th scope="col">セグメント</th>
                  <th scope="col">出すメニュー</th>
                  <th scope="col">
                    <span className="visually-hidden">操作</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.segmentMenus.map((row, i) => (
                  <tr key={i}>
                    <td className="num">{number.format(i + 1)}</td>
                    <td>
                      <select aria-label={`${i + 1}行目のセグメント`} value={row.segmentId} onChange={(e) => setRow(i, { segmentId: e.target.value })}>
                        {!view.segments.some((s) => s.segmentId === row.segmentId) && <option value={row.segmentId}>{segmentName(row.segmentId)}</option>}
                        {view.segments.map((s) => (
                          <option key={s.segmentId} value={s.segmentId}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select aria-label={`${i + 1}行目のメニュー`} value={row.menuId} onChange={(e) => setRow(i, { menuId: e.target.value })}>
                        {usable.map((m) => (
                          <option key={m.menuId} value={m.menuId}>
                            {m.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="rm-actions">
                      <button type="button" className="button small" disabled={i === 0} aria-label={`${i + 1}行目を上へ`} onClick={() => move(i, -1)}>
                        ↑
                      </button>
                      <button
                        type="button"
                        className="button small"
                        disabled={i === draft.segmentMenus.length - 1}
                        aria-label={`${i + 1}行目を下へ`}
                        onClick={() => move(i, 1)}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        className="button small"
                        aria-label={`${i + 1}行目を外す`}
                        onClick={() => setDraft({ ...draft, segmentMenus: draft.segmentMenus.filter((_, j) => j !== i) })}
                      >
                        外す
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <button
          type="button"
          className="button small"
          disabled={usable.length === 0 || draft.segmentMenus.length >= SEGMENT_MENUS_MAX}
          onClick={() =>
            setDraft({
              ...draft,
              segmentMenus: [
                ...draft.segmentMenus,
                {
                  segmentId: view.segments.find((s) => !draft.segmentMenus.some((r) => r.segmentId === s.segmentId))?.segmentId ?? 'everyone',
                  menuId: usable[0]!.menuId,
                },
              ],
            })
          }
        >
          ＋ セグメントを追加
        </button>
        {usable.length === 0 && <p className="hint">画像とタップ領域のあるメニューを作ると、選べるようになります。</p>}

        <h3>災害メニュー</h3>
        <p className="muted">災害モードのあいだ、友だち全員に出すメニューです（避難所、安否確認、ハザードマップ、防災メールの一覧 など）。</p>
        <div className="field">
          <label htmlFor="rm-disaster-menu">災害メニュー</label>
          <select
            id="rm-disaster-menu"
            value={draft.disaster.menuId ?? ''}
            onChange={(e) => setDraft({ ...draft, disaster: { ...draft.disaster, menuId: e.target.value || undefined } })}
          >
            <option value="">（選ばない）</option>
            {usable.map((m) => (
              <option key={m.menuId} value={m.menuId}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>防災メールで自動的に災害モードを開始する警報</legend>
          <div className="radio-column">
            {DISASTER_KINDS.map((k) => (
              <label key={k} className="choice">
                <input
                  type="checkbox"
                  checked={kinds.has(k)}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      disaster: { ...draft.disaster, onKinds: DISASTER_KINDS.filter((x) => (x === k ? e.target.checked : kinds.has(x))) },
                    })
                  }
                />
                {ALERT_KIND_LABELS[k]}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.disaster.offWhenLifted}
            onChange={(e) => setDraft({ ...draft, disaster: { ...draft.disaster, offWhenLifted: e.target.checked } })}
          />
          その警報の「解除」のメールが届いたら、災害モードを自動で終える（職員が開始した災害モードは、職員が終えます）
        </label>
        <div className="form-actions">
          <button
            type="button"
            className="button primary"
            disabled={busy || !dirty}
            onClick={() => void run(() => saveMenuLinks(draft), '保存しました。友だちのLINEのメニューが、数分のうちに順に替わります（友だちの数によります）。')}
          >
            保存する
          </button>
          {dirty && <span className="hint">保存していない変更があります。</span>}
        </div>
        <p className="hint rm-sync" role="status">
          {view.sync.finishedAt
            ? `最後の反映：${formatDateTime(view.sync.finishedAt)}（友だち ${number.format(view.sync.friends ?? 0)} 人を確認、${number.format(view.sync.linked ?? 0)} 人のメニューを替え、${number.format(view.sync.unlinked ?? 0)} 人を公開中のメニューに戻しました${view.sync.failed ? `。${number.format(view.sync.failed)} 人は失敗したため、1時間以内にやり直します` : ''}）`
            : view.sync.startedAt
              ? `反映中です（${formatDateTime(view.sync.startedAt)} 開始）。`
              : 'まだ反映していません。'}
        </p>
      </section>
      {dialog}
    </>
  );
}
