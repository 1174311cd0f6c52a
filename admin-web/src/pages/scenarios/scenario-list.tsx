/** シナリオ › 一覧: every scenario with its state and start words, a new one, and the scenario a new friend gets. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client';
import { createScenario, listScenarios, saveScenarioSettings, type ScenarioListView } from '../../api/scenarios';
import { Dialog } from '../../components/dialog';
import { Alert, EmptyState, Field, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { navigate } from '../../router';
import { SCENARIOS_BASE, scenarioPath, StateBadge } from './common';

export function ScenarioList() {
  const [list, setList] = useState<ScenarioListView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [onboarding, setOnboarding] = useState('');
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    try {
      const l = await listScenarios();
      setList(l);
      setOnboarding(l.onboardingScenarioId ?? '');
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const saveOnboarding = async () => {
    if (!list) return;
    setSaving(true);
    setError(null);
    setNotice(null);
    try {
      const l = await saveScenarioSettings(onboarding || null, list.settingsRev);
      setList(l);
      setNotice(onboarding ? '友だち追加のときに始めるシナリオを設定しました。' : '友だち追加のときのシナリオをなしにしました。');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  };

  const published = list?.scenarios.filter((s) => s.publishedVersion) ?? [];
  return (
    <>
      <PageHeader title="シナリオ">
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          ＋ 新しいシナリオ
        </button>
      </PageHeader>
      <p className="muted page-lead">
        質問と選択肢をつないで、友だちを LINE
        の中で案内します（ごみの出し方、手続きの案内、通報の受付など）。開始キーワードを送った友だち、リッチメニューやボタンから始めた友だちが、最後まで順に答えられます。
      </p>
      {notice && <Alert kind="success">{notice}</Alert>}
      {error && <Alert>{error}</Alert>}
      {list === null && !error && <Loading />}
      {list && (
        <section className="card" aria-labelledby="onboarding-h">
          <h2 id="onboarding-h">友だち追加のときに始めるシナリオ</h2>
          <p className="hint">友だち追加のあいさつの後に、このシナリオが始まります。公開中のシナリオから選べます。</p>
          <div className="toolbar">
            <label>
              <span className="visually-hidden">友だち追加のときに始めるシナリオ</span>
              <select value={onboarding} onChange={(e) => setOnboarding(e.target.value)}>
                <option value="">なし</option>
                {published.map((s) => (
                  <option key={s.scenarioId} value={s.scenarioId}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="button"
              disabled={saving || onboarding === (list.onboardingScenarioId ?? '')}
              onClick={() => void saveOnboarding()}
            >
              保存
            </button>
          </div>
        </section>
      )}
      {list && list.scenarios.length === 0 && (
        <EmptyState title="シナリオはまだありません">
          <p>「＋ 新しいシナリオ」で作ってください。</p>
        </EmptyState>
      )}
      {list && list.scenarios.length > 0 && (
        <section className="card" aria-labelledby="scenarios-h">
          <h2 id="scenarios-h">シナリオ一覧（{number.format(list.scenarios.length)} 件）</h2>
          <div className="table-scroll">
            <table className="table" aria-label="シナリオ一覧">
              <thead>
                <tr>
                  <th scope="col">シナリオ名</th>
                  <th scope="col">状態</th>
                  <th scope="col">開始キーワード</th>
                  <th scope="col" className="num">
                    最新の版
                  </th>
                  <th scope="col">更新</th>
                  <th scope="col">結果</th>
                </tr>
              </thead>
              <tbody>
                {list.scenarios.map((s) => (
                  <tr key={s.scenarioId}>
                    <td className="scenario-name">
                      <Link to={scenarioPath(s.scenarioId)}>{s.name}</Link>
                      {s.onboarding && <span className="badge">友だち追加時</span>}
                    </td>
                    <td className="nowrap">
                      <StateBadge header={s} />
                    </td>
                    <td>
                      {s.publishedVersion ? (
                        s.startWords.join('、') || <span className="muted">なし</span>
                      ) : (
                        <span className="muted">（公開すると使えます）</span>
                      )}
                    </td>
                    <td className="num">第{number.format(s.latestVersion)}版</td>
                    <td className="keyword-updated">
                      <span className="nowrap">{formatDateTime(s.updatedAt)}</span>
                      <span className="hint">{s.updatedBy}</span>
                    </td>
                    <td>
                      <Link to={`${scenarioPath(s.scenarioId)}/results`}>結果を見る</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
    </>
  );
}

function CreateDialog(props: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const created = await createScenario(name);
      navigate(scenarioPath(created.header.scenarioId));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="新しいシナリオ" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <Field label="シナリオ名" required error={error ?? undefined} hint="一覧と結果に表示される名前です（友だちには見えません）。">
          {(id, describedBy) => (
            <input id={id} aria-describedby={describedBy} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} autoFocus />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !name.trim()}>
            作成して編集する
          </button>
          <button type="button" className="button" onClick={props.onClose}>
            やめる
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export { SCENARIOS_BASE };
