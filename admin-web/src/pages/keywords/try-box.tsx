/**
 * 試す: a message as a citizen would send it, against the saved rules — which rules match, in the
 * order they are tried (the first answers), the text as the matcher reads it, and the reply on a
 * phone. Nothing is sent and nothing is counted.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { KEYWORD_LIMITS, MATCH_KIND_LABELS, getRule, tryMessage, type KeywordRule, type TryView } from '../../api/keywords';
import { Alert, Link } from '../../components/ui';
import { PhonePreview } from '../../components/phone-preview';
import { formatDateTime, number } from '../../format';
import { LANGS, LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import { rulePath } from './common';

interface Tried {
  text: string;
  lang: Lang;
  at: string | null;
  answer: TryView;
  /** The answering rule as stored now (its reply is shown on the phone); null when it could not be read. */
  rule: KeywordRule | null;
  ruleError?: string;
}

/** The variant a friend with this LINE language gets: their language when the rule has it, else Japanese. */
function bubblesFor(rule: KeywordRule, lang: Lang): { lang: Lang; bubbles: KeywordRule['replies'][number]['bubbles'] } {
  const v = rule.replies.find((r) => r.lang === lang) ?? rule.replies.find((r) => r.lang === 'ja') ?? rule.replies[0];
  return { lang: v?.lang ?? 'ja', bubbles: v?.bubbles ?? [] };
}

/** `yyyy-mm-ddTHH:mm` typed as Japan time → ISO with +09:00. */
export const jstLocalToIso = (local: string) => (local ? `${local}:00+09:00` : undefined);

export function TryBox(props: { heading?: string; hint?: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [lang, setLang] = useState<Lang>('ja');
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState<Tried | null>(null);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError('試す文を入力してください。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await tryMessage({ text, language: lang, ...(at ? { at: jstLocalToIso(at) } : {}) });
      let rule: KeywordRule | null = null;
      let ruleError: string | undefined;
      if (answer.matches[0]) {
        try {
          rule = await getRule(answer.matches[0].ruleId);
        } catch (err) {
          ruleError = messageOf(err);
        }
      }
      setTried({ text, lang, at: at ? (jstLocalToIso(at) ?? null) : null, answer, rule, ruleError });
    } catch (err) {
      setTried(null);
      setError(err instanceof ApiError && err.details.length ? err.details.map((d) => d.message).join(' ') : messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = tried?.rule ? bubblesFor(tried.rule, tried.lang) : null;
  const cut = tried && tried.answer.matchedPart.length < tried.text.length;

  return (
    <section className="card try-box" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{props.heading ?? '試す'}</h2>
      <p className="hint">
        {props.hint ?? '友だちが送る文を入れて「試す」を押すと、保存されているルールのどれが答えるかと、その返信がわかります。'}
        送信はしません（応答の回数にも数えません）。
      </p>
      <div className="try-layout">
        <div className="try-col">
          <form onSubmit={run} aria-label="メッセージを試す">
            <div className="field compact">
              <label htmlFor={`${id}-text`}>友だちが送る文</label>
              <textarea
                id={`${id}-text`}
                rows={3}
                maxLength={5000}
                value={text}
                placeholder="例: 粗大ゴミの出し方を教えてください"
                onChange={(e) => setText(e.target.value)}
              />
            </div>
            <div className="inline-fields">
              <div className="field compact">
                <label htmlFor={`${id}-lang`}>友だちの LINE の言語</label>
                <select id={`${id}-lang`} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
                  {LANGS.map((l) => (
                    <option key={l} value={l}>
                      {LANGUAGE_LABELS[l]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field compact">
                <label htmlFor={`${id}-at`}>日時（日本時間・空欄なら今）</label>
                <input id={`${id}-at`} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
              </div>
            </div>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? '調べています…' : '試す'}
            </button>
          </form>
          {error && <Alert>{error}</Alert>}
          {tried && (
            <div className="try-result" role="region" aria-label="試した結果">
              {tried.answer.matches.length === 0 ? (
                <Alert kind="info">どのルールにも当てはまりません（既定の返信が送られます）。</Alert>
              ) : (
                <>
                  <h3 className="subheading">当てはまるルール（調べる順）</h3>
                  <ol className="try-matches">
                    {tried.answer.matches.map((m, i) => (
                      <li key={m.ruleId} className={i === 0 ? 'try-first' : undefined}>
                        <Link to={rulePath(m.ruleId)}>{m.name}</Link>
                        <span className="hint">
                          （{MATCH_KIND_LABELS[m.match]}・優先度 {number.format(m.priority)}）
                        </span>
                        {i === 0 ? <span className="badge try-answers">この返信が送られます</span> : null}
                      </li>
                    ))}
                  </ol>
                  {tried.answer.matches.length > 1 && <p className="hint">2番目からのルールは、1番目のルールがなかったときに答えるものです。</p>}
                </>
              )}
              <dl className="detail-list try-facts">
                <div>
                  <dt>ゆれをそろえた文</dt>
                  <dd>
                    <span className="normalized">{tried.answer.normalized || '（文字がありません）'}</span>
                    <span className="hint try-note">
                      カタカナはひらがなに、小さい「ゃ」「っ」は大きく、全角・半角と大文字・小文字はそろえ、伸ばす音（ー）・空白・記号は除いて比べます（正規表現は元の文でも調べます）。
                    </span>
                  </dd>
                </div>
                {cut && (
                  <div>
                    <dt>調べた部分</dt>
                    <dd>長いメッセージは、先頭の {number.format(KEYWORD_LIMITS.matchChars)} 文字だけを調べます。</dd>
                  </div>
                )}
                <div>
                  <dt>日時</dt>
                  <dd>{tried.at ? formatDateTime(tried.at) : '今'}（有効期間のあるルールは、この日時で調べます）</dd>
                </div>
              </dl>
            </div>
          )}
        </div>
        <div className="try-phone">
          {tried?.rule && shown ? (
            <>
              <h3 className="subheading">
                送られる返信（{LANGUAGE_LABELS[shown.lang]}
                {shown.lang !== tried.lang ? `：${LANGUAGE_LABELS[tried.lang]}の返信がないため` : ''}）
              </h3>
              <PhonePreview bubbles={shown.bubbles} lang={shown.lang} label={`返信のプレビュー（${LANGUAGE_LABELS[shown.lang]}）`} />
            </>
          ) : tried?.ruleError ? (
            <Alert>{tried.ruleError}</Alert>
          ) : (
            <p className="muted try-phone-empty">{tried ? '既定の返信が送られます。' : '試すと、ここに返信が表示されます。'}</p>
          )}
        </div>
      </div>
    </section>
  );
}
