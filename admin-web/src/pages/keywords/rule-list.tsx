/** キーワード応答 › ルール: every rule in the order they are tried, with their hits; 試す, 書き出し and 取り込み. */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client';
import { KEYWORD_LIMITS, MATCH_KIND_LABELS, downloadRules, importRules, listRules, type KeywordListView, type KeywordRuleView } from '../../api/keywords';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { Dialog } from '../../components/dialog';
import { formatDateTime, number } from '../../format';
import { Count, KeywordsNav, OrderExplained, StateBadge, newRulePath, orderText, periodText, rulePath } from './common';
import { TryBox } from './try-box';

/** Keywords shown in the list before 「ほか n 件」. */
const SHOWN_KEYWORDS = 3;
/** A long keyword (a regular expression) is shown cut; the editor has it whole. */
const PATTERN_CHARS = 24;

/** A message carried to the list from another page (a deleted rule), shown once. */
let flash: string | null = null;
export function flashOnList(text: string): void {
  flash = text;
}

export function RuleList() {
  const [list, setList] = useState<KeywordListView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(() => {
    const f = flash;
    flash = null;
    return f;
  });
  const [filter, setFilter] = useState('');
  const [downloading, setDownloading] = useState(false);
  const [importing, setImporting] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await listRules());
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const download = async (format: 'csv' | 'json') => {
    setDownloading(true);
    setError(null);
    try {
      await downloadRules(format);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setDownloading(false);
    }
  };

  const q = filter.trim().toLowerCase();
  const shown = list && q ? list.rules.filter((r) => r.name.toLowerCase().includes(q) || r.patterns.some((p) => p.toLowerCase().includes(q))) : list?.rules;
  const full = !!list && list.rules.length >= list.max;

  return (
    <>
      <PageHeader title="キーワード応答">
        {full ? (
          <button type="button" className="button primary" disabled>
            ＋ 新しいルール
          </button>
        ) : (
          <Link to={newRulePath()} className="button primary">
            ＋ 新しいルール
          </Link>
        )}
      </PageHeader>
      <KeywordsNav />
      <p className="muted page-lead">
        友だちが LINE で送った言葉に合わせて、自動で返信します。よくある質問（ごみの日、避難所、窓口の時間など）に、職員の代わりに24時間答えます。
      </p>
      {notice && <Alert kind="success">{notice}</Alert>}
      {error && <Alert>{error}</Alert>}

      <TryBox />

      <section className="card" aria-labelledby="rules-h">
        <div className="rules-head">
          <h2 id="rules-h">
            ルール一覧
            {list && (
              <span className="rules-count" data-testid="rule-count">
                {number.format(list.rules.length)} / {number.format(list.max)} 件
              </span>
            )}
          </h2>
          <div className="rules-actions">
            <button type="button" className="button" onClick={() => void download('csv')} disabled={downloading || !list}>
              書き出し（CSV）
            </button>
            <button type="button" className="button" onClick={() => void download('json')} disabled={downloading || !list}>
              書き出し（JSON）
            </button>
            <button type="button" className="button" onClick={() => setImporting(true)} disabled={!list}>
              取り込み
            </button>
          </div>
        </div>
        <p className="hint">
          CSV は Excel で確かめたり直したりするためのファイル、JSON
          は画像・カード・外国語の返信も含めて別の環境へ写すためのファイルです。どちらも「取り込み」で読み込めます。
        </p>
        {full && <Alert kind="info">ルールは {number.format(KEYWORD_LIMITS.rules)} 個までです。新しく作るには、使っていないルールを削除してください。</Alert>}
        <OrderExplained />
        {list === null && !error && <Loading />}
        {list && list.rules.length === 0 && (
          <EmptyState title="ルールはまだありません">
            <p>「＋ 新しいルール」で作るか、「取り込み」で CSV・JSON ファイルから読み込んでください。</p>
          </EmptyState>
        )}
        {list && list.rules.length > 0 && (
          <>
            <div className="toolbar">
              <label className="search">
                <span className="visually-hidden">ルール名・キーワードで絞り込み</span>
                <input type="search" value={filter} placeholder="ルール名・キーワードで絞り込み" onChange={(e) => setFilter(e.target.value)} />
              </label>
              {q && <span className="muted">{number.format(shown?.length ?? 0)} 件が当てはまります（順番は全体の中での順番です）</span>}
            </div>
            <RuleTable rules={shown ?? []} />
          </>
        )}
      </section>
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(text) => {
            setImporting(false);
            setNotice(text);
            void load();
          }}
        />
      )}
    </>
  );
}

function RuleTable(props: { rules: KeywordRuleView[] }) {
  return (
    <div className="table-scroll">
      <table className="table keyword-table" aria-label="ルール一覧">
        <thead>
          <tr>
            <th scope="col">順番</th>
            <th scope="col">ルール名</th>
            <th scope="col">一致のしかた</th>
            <th scope="col">キーワード</th>
            <th scope="col" className="num">
              優先度
            </th>
            <th scope="col">状態</th>
            <th scope="col" className="num">
              今日
            </th>
            <th scope="col" className="num">
              7日
            </th>
            <th scope="col" className="num">
              30日
            </th>
            <th scope="col">更新</th>
          </tr>
        </thead>
        <tbody>
          {props.rules.map((r) => {
            const period = periodText(r);
            const more = r.patterns.length - SHOWN_KEYWORDS;
            return (
              <tr key={r.ruleId} className={r.enabled ? undefined : 'row-disabled'}>
                <td className="nowrap">{orderText(r.order)}</td>
                <td className="keyword-name">
                  <Link to={rulePath(r.ruleId)}>{r.name}</Link>
                </td>
                <td className="nowrap">{MATCH_KIND_LABELS[r.match]}</td>
                <td className="keyword-patterns">
                  {r.patterns.slice(0, SHOWN_KEYWORDS).map((p, i) => (
                    <span key={i} className={r.match === 'regex' ? 'pattern mono' : 'pattern'} title={p.length > PATTERN_CHARS ? p : undefined}>
                      {p.length > PATTERN_CHARS ? `${p.slice(0, PATTERN_CHARS)}…` : p}
                    </span>
                  ))}
                  {more > 0 && <span className="muted nowrap">ほか {number.format(more)} 件</span>}
                </td>
                <td className="num">{number.format(r.priority)}</td>
                <td className="keyword-state">
                  <StateBadge rule={r} />
                  {period && <span className="hint keyword-period">{period}</span>}
                </td>
                <td className="num">
                  <Count value={r.hits.today} />
                </td>
                <td className="num">
                  <Count value={r.hits.last7Days} />
                </td>
                <td className="num">
                  <Count value={r.hits.last30Days} />
                </td>
                <td className="keyword-updated">
                  <span className="nowrap">{formatDateTime(r.updatedAt)}</span>
                  <span className="hint">{r.updatedBy === 'system' ? '初期データ' : r.updatedBy}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The format of a chosen file: its extension, else its first character. */
function formatOf(name: string, content: string): 'csv' | 'json' {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.csv$/i.test(name)) return 'csv';
  return content
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'json'
    : 'csv';
}

/** Far above any file the server takes (2 MB of text): refused before the browser reads it. */
const READ_MAX_BYTES = 8 * 1024 * 1024;

function ImportDialog(props: { onClose: () => void; onImported: (notice: string) => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'add' | 'replace'>('add');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError('取り込むファイルを選んでください。');
      return;
    }
    if (file.size > READ_MAX_BYTES) {
      setError('ファイルが大きすぎます。書き出したファイルか、その形のファイルを選んでください。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const content = await file.text();
      const answer = await importRules({ format: formatOf(file.name, content), mode, content });
      props.onImported(
        `${number.format(answer.imported)} 件のルールを${mode === 'add' ? '追加' : '置き換え'}で取り込みました。いまのルールは ${number.format(answer.total)} 件です。`,
      );
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="ルールの取り込み" onClose={props.onClose} className="import-dialog">
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-file`}>ファイル（CSV か JSON）</label>
          {/* The browser's own file button speaks the browser's language; this one speaks Japanese. */}
          <div className="file-pick">
            <input
              id={`${id}-file`}
              className="visually-hidden"
              type="file"
              accept=".csv,.json,text/csv,application/json"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setError(null);
              }}
            />
            <label htmlFor={`${id}-file`} className="button small" aria-hidden="true">
              ファイルを選ぶ
            </label>
            <span className={file ? 'file-name' : 'file-name muted'}>{file ? file.name : '選ばれていません'}</span>
          </div>
          <p className="hint">「書き出し」で保存したファイル、またはそれを Excel で直して「CSV UTF-8」で保存したファイルを選んでください。</p>
        </div>
        <fieldset className="field">
          <legend>取り込み方</legend>
          <div className="radio-column">
            <label className="choice">
              <input type="radio" name={`${id}-mode`} checked={mode === 'add'} onChange={() => setMode('add')} />
              追加（今のルールはそのまま、ファイルのルールを加える）
            </label>
            <label className="choice">
              <input type="radio" name={`${id}-mode`} checked={mode === 'replace'} onChange={() => setMode('replace')} />
              置き換え（今のルールをすべてファイルの内容にする）
            </label>
          </div>
        </fieldset>
        {mode === 'replace' && (
          <Alert>
            <p className="alert-title">ファイルにないルールは削除されます。</p>
            <p>
              今あるルールはすべて、ファイルの内容に置き換わります。ファイルにないルールは消え、元に戻せません。念のため、先に「書き出し」で今のルールを保存してください。
            </p>
          </Alert>
        )}
        <p className="hint">ファイルの中身はすべて確かめてから取り込みます。誤りがあるときは、どの行かを表示し、何も変えません。</p>
        {error && <Alert>{error}</Alert>}
        <div className="form-actions">
          <button type="submit" className={mode === 'replace' ? 'button danger' : 'button primary'} disabled={busy}>
            {busy ? '取り込んでいます…' : mode === 'replace' ? '置き換えて取り込む' : '追加して取り込む'}
          </button>
          <button type="button" className="button" onClick={props.onClose} disabled={busy}>
            やめる
          </button>
        </div>
      </form>
    </Dialog>
  );
}
