/**
 * 市民通報 › 設定: the categories citizens choose from (names in the five languages, the department
 * a new report goes to, 受付終了 — a category is never deleted, its reports keep it), departments,
 * districts (looked for in a report's address), what counts as a possible duplicate, the city's
 * boundary (GeoJSON) and the map's tiles. Saved as a whole with the revision read; a refusal shows
 * the server's words.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { GSI_TILES, REPORT_LIMITS, getReportSettings, putReportSettings, type ReportCategory, type ReportSettingsView } from '../../api/reports';
import { Alert, Field, Loading, PageHeader, SaveBarMessages } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { LANGS, LANGUAGE_LABELS } from '../../../../functions/shared/languages';
import type { Me } from '../../api/types';
import { ReportsNav } from './common';
import { boundaryPoints, linesOf, parseBoundary, settingsProblem } from './report-texts';

type CategoryDraft = ReportCategory & { added?: boolean };

interface Draft {
  categories: CategoryDraft[];
  departments: string;
  districts: string;
  meters: string;
  hours: string;
  boundary: string;
  tilesUrl: string;
  tilesAttribution: string;
}

const draftOf = (s: ReportSettingsView): Draft => ({
  categories: s.categories.map((c) => ({ ...c, label: { ...c.label } })),
  departments: s.departments.join('\n'),
  districts: s.districts.join('\n'),
  meters: String(s.duplicate.meters),
  hours: String(s.duplicate.hours),
  boundary: s.boundary ? JSON.stringify(s.boundary) : '',
  tilesUrl: s.tiles.url,
  tilesAttribution: s.tiles.attribution,
});

export function ReportSettingsPage(props: { me: Me }) {
  // Every category's settings: an account limited to some categories reads them, never saves them.
  const limited = props.me.role !== 'admin' && (props.me.reportCategories?.length ?? 0) > 0;
  const [saved, setSaved] = useState<ReportSettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<{ message: string; problems: string[] } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await getReportSettings();
      setSaved(s);
      setDraft(draftOf(s));
      setConflict(null);
      setSaveError(null);
      setLoadError(null);
    } catch (err) {
      setLoadError(messageOf(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (!saved || !draft)
    return (
      <>
        <PageHeader title="市民通報" />
        <ReportsNav />
        {loadError ? <Alert>{loadError}</Alert> : <Loading />}
      </>
    );

  const change = (patch: Partial<Draft>) => {
    setNotice(null);
    setDraft((d) => (d ? { ...d, ...patch } : d));
  };
  const editCategory = (i: number, patch: Partial<CategoryDraft>) =>
    change({ categories: draft.categories.map((c, j) => (j === i ? { ...c, ...patch, label: { ...c.label, ...patch.label } } : c)) });
  const departments = linesOf(draft.departments);
  const boundary = parseBoundary(draft.boundary);

  const save = async () => {
    if ('error' in boundary) {
      setSaveError({ message: '保存できませんでした。市の区域を直してください。', problems: [boundary.error] });
      return;
    }
    setBusy(true);
    setSaveError(null);
    setConflict(null);
    setNotice(null);
    try {
      const next = await putReportSettings({
        rev: saved.rev,
        categories: draft.categories.map(({ added: _added, ...c }) => ({
          id: c.id.trim(),
          // Japanese always (the server says when it is empty); the other languages when written.
          label: { ...Object.fromEntries(Object.entries(c.label).filter(([, v]) => v?.trim())), ja: c.label.ja },
          ...(c.department ? { department: c.department } : {}),
          ...(c.retired ? { retired: true } : {}),
        })),
        departments,
        districts: linesOf(draft.districts),
        duplicate: { meters: Number(draft.meters), hours: Number(draft.hours) },
        boundary: boundary.value,
        tiles: { url: draft.tilesUrl.trim(), attribution: draft.tilesAttribution.trim() },
      });
      setSaved(next);
      setDraft(draftOf(next));
      setNotice('設定を保存しました。');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(err.message);
      else
        setSaveError({
          message: messageOf(err),
          problems: err instanceof ApiError ? [...new Set(err.details.map(settingsProblem).filter((p): p is string => !!p))] : [],
        });
    } finally {
      setBusy(false);
    }
  };

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > REPORT_LIMITS.boundaryBytes * 4) {
      setSaveError({ message: 'ファイルが大きすぎます。点を間引いたGeoJSONにしてください（512KBまで）。', problems: [] });
      return;
    }
    change({ boundary: await file.text() });
  };

  return (
    <>
      <PageHeader title="市民通報" />
      <ReportsNav />
      <section className="card" aria-labelledby="cat-h">
        <h2 id="cat-h">通報の種類</h2>
        <p className="hint">
          市民がLINEで選ぶ種類です。受付をやめるときは「受付終了」にします（削除はできません。これまでの通報は種類を保ちます）。IDは半角英小文字・数字・_ -
          で、保存したあとは変えられません。
        </p>
        <div className="table-scroll">
          <table className="table compact report-categories">
            <thead>
              <tr>
                <th scope="col">ID</th>
                {LANGS.map((l) => (
                  <th key={l} scope="col">
                    {LANGUAGE_LABELS[l]}
                    {l === 'ja' && <span className="required">必須</span>}
                  </th>
                ))}
                <th scope="col">最初の担当課</th>
                <th scope="col">受付終了</th>
                <th scope="col">
                  <span className="visually-hidden">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.categories.map((c, i) => (
                <tr key={c.added ? `new-${i}` : c.id} className={c.retired ? 'row-disabled' : undefined}>
                  <td>
                    {c.added ? (
                      <input
                        aria-label={`種類${i + 1}のID`}
                        className="mono"
                        value={c.id}
                        maxLength={40}
                        onChange={(e) => editCategory(i, { id: e.target.value })}
                      />
                    ) : (
                      <span className="mono">{c.id}</span>
                    )}
                  </td>
                  {LANGS.map((l) => (
                    <td key={l}>
                      <input
                        aria-label={`種類${i + 1}の名前（${LANGUAGE_LABELS[l]}）`}
                        value={c.label[l] ?? ''}
                        maxLength={20}
                        onChange={(e) => editCategory(i, { label: { ...c.label, [l]: e.target.value } })}
                      />
                    </td>
                  ))}
                  <td>
                    <select
                      aria-label={`種類${i + 1}の最初の担当課`}
                      value={c.department ?? ''}
                      onChange={(e) => editCategory(i, { department: e.target.value || undefined })}
                    >
                      <option value="">（未定）</option>
                      {c.department && !departments.includes(c.department) && <option value={c.department}>{c.department}（一覧にない課）</option>}
                      {departments.map((d) => (
                        <option key={d} value={d}>
                          {d}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="center">
                    <input
                      type="checkbox"
                      aria-label={`種類${i + 1}の受付終了`}
                      checked={!!c.retired}
                      onChange={(e) => editCategory(i, { retired: e.target.checked || undefined })}
                    />
                  </td>
                  <td>
                    {c.added && (
                      <button type="button" className="button small" onClick={() => change({ categories: draft.categories.filter((_, j) => j !== i) })}>
                        取り消す
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="form-actions">
          <button
            type="button"
            className="button"
            disabled={draft.categories.length >= REPORT_LIMITS.categories}
            onClick={() => change({ categories: [...draft.categories, { id: '', label: { ja: '' }, added: true }] })}
          >
            ＋ 種類を追加
          </button>
          <span className="hint">
            {draft.categories.length} / {REPORT_LIMITS.categories}種類
          </span>
        </div>
      </section>
      <section className="card" aria-labelledby="lists-h">
        <h2 id="lists-h">担当課と地区</h2>
        <div className="report-lists">
          <Field label="担当課" hint={`1行に1つ（${REPORT_LIMITS.departments}まで）。通報を割り当てる課です。`}>
            {(id, d) => <textarea id={id} aria-describedby={d} rows={8} value={draft.departments} onChange={(e) => change({ departments: e.target.value })} />}
          </Field>
          <Field label="地区" hint={`1行に1つ（${REPORT_LIMITS.districts}まで）。通報の住所にこの名前があると、その地区になります（長い名前を先に探します）。`}>
            {(id, d) => <textarea id={id} aria-describedby={d} rows={8} value={draft.districts} onChange={(e) => change({ districts: e.target.value })} />}
          </Field>
        </div>
      </section>
      <section className="card" aria-labelledby="dup-h">
        <h2 id="dup-h">重複の目安</h2>
        <p className="hint">同じ種類で、この距離と時間の中にある通報を、通報の画面に「近くの同じ種類の通報」として出します。</p>
        <div className="inline-fields">
          <Field label="距離（m）">
            {(id) => <input id={id} type="number" min={1} max={5000} step={1} value={draft.meters} onChange={(e) => change({ meters: e.target.value })} />}
          </Field>
          <Field label="時間（前後、時間）">
            {(id) => <input id={id} type="number" min={1} max={2160} step={1} value={draft.hours} onChange={(e) => change({ hours: e.target.value })} />}
          </Field>
        </div>
      </section>
      <section className="card" aria-labelledby="boundary-h">
        <h2 id="boundary-h">市の区域</h2>
        <p className="hint">
          区域の外の通報には「区域外」の印をつけます（受付はします）。GeoJSON（Polygon・MultiPolygon、またはそれを含む Feature・FeatureCollection、座標は [経度,
          緯度]）を貼り付けるか、ファイルを選んでください。
        </p>
        <Field label="区域のGeoJSON">
          {(id) => (
            <textarea
              id={id}
              className="mono report-boundary"
              rows={6}
              spellCheck={false}
              value={draft.boundary}
              placeholder='{"type":"Polygon","coordinates":[[[130.42,33.01], …]]}'
              onChange={(e) => change({ boundary: e.target.value })}
            />
          )}
        </Field>
        <p className={'error' in boundary ? 'field-error' : 'hint'} role="status">
          {'error' in boundary
            ? boundary.error
            : boundary.value
              ? `点の数：${number.format(boundary.points)}`
              : '区域は設定されていません（区域外の印はつきません）。'}
          {saved.boundary && !('error' in boundary) && ` （保存済みの区域：${number.format(boundaryPoints(saved.boundary))}点）`}
        </p>
        <div className="form-actions">
          <label className="button">
            ファイルを選ぶ（.geojson・.json）
            <input
              type="file"
              className="visually-hidden"
              accept=".geojson,.json,application/geo+json,application/json"
              onChange={(e) => void readFile(e.target.files?.[0])}
            />
          </label>
          <button type="button" className="button" disabled={!draft.boundary} onClick={() => change({ boundary: '' })}>
            区域を消す
          </button>
        </div>
      </section>
      <section className="card" aria-labelledby="tiles-h">
        <h2 id="tiles-h">地図の画像（タイル）</h2>
        <p className="hint">地図のページと通報の画面の背景です。ふだんは国土地理院の「地理院タイル」を使います。</p>
        <Field label="タイルのURL" hint="https:// で始まり、{z} {x} {y} を含むURL。">
          {(id, d) => <input id={id} aria-describedby={d} className="mono" value={draft.tilesUrl} onChange={(e) => change({ tilesUrl: e.target.value })} />}
        </Field>
        <Field label="出典の表示" hint="地図の右下に出す出典です（リンクは https のものだけ表示します）。">
          {(id, d) => <input id={id} aria-describedby={d} value={draft.tilesAttribution} onChange={(e) => change({ tilesAttribution: e.target.value })} />}
        </Field>
        <button type="button" className="button small" onClick={() => change({ tilesUrl: GSI_TILES.url, tilesAttribution: GSI_TILES.attribution })}>
          地理院タイルに戻す
        </button>
      </section>
      <div className="save-bar settings-save-bar">
        <SaveBarMessages conflict={conflict} onReload={() => void load()} problems={[]} saveError={saveError} notice={notice} />
        <div className="save-bar-row">
          <button type="button" className="button primary" disabled={busy || limited} onClick={() => void save()}>
            {busy ? '保存しています…' : '設定を保存'}
          </button>
          {limited && <span className="hint">設定は、見られる種類を限られていない職員だけが変更できます。</span>}
          {saved.updatedAt && (
            <span className="hint">
              最後の変更：{formatDateTime(saved.updatedAt)}
              {saved.updatedBy ? `（${saved.updatedBy}）` : ''}
            </span>
          )}
        </div>
      </div>
    </>
  );
}
