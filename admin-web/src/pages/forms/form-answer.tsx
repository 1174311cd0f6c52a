import { useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import { getCitizenAnswer, getForm, type CitizenAnswer, type CitizenResponse, type Form, type ResponseRow } from '../../api/forms';
import { Alert, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../format';
import { AnswerCell } from './form-responses';

/**
 * One citizen's answer to a form: every question with the answer (photos and videos shown), then
 * the earlier answers. Links in the responses CSV open this page (`#item-<itemId>` scrolls to the
 * question); signed-out staff sign in first and land here.
 */
export function FormAnswer(props: { formId: string; userId: string }) {
  const { formId, userId } = props;
  const [form, setForm] = useState<Form | null>(null);
  const [answer, setAnswer] = useState<CitizenAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([getForm(formId), getCitizenAnswer(formId, userId)]).then(
      ([f, a]) => {
        setForm(f);
        setAnswer(a);
      },
      (e) => setError(messageOf(e)),
    );
  }, [formId, userId]);

  // A link to one question (#item-photo): bring it into view once the answer is on screen.
  useEffect(() => {
    if (!answer || !location.hash.startsWith('#item-')) return;
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // a malformed escape: look the anchor up as it is
    }
    const target = document.getElementById(id);
    target?.scrollIntoView({ block: 'start' });
    target?.classList.add('answer-focus');
  }, [answer]);

  const name = answer?.latest.displayName || '（名前なし）';
  return (
    <>
      <p className="breadcrumb">
        <Link to="/surveys">アンケート・フォーム</Link> › {form && <Link to={`/surveys/${encodeURIComponent(formId)}/responses`}>回答: {form.title.ja}</Link>}
      </p>
      <PageHeader title={answer ? `${name} さんの回答` : '回答'} />
      {error && <Alert>{error}</Alert>}
      {!error && (!form || !answer) && <Loading />}
      {form && answer && (
        <>
          <AnswerCard form={form} response={answer.latest} heading="最新の回答" />
          {answer.earlier.length > 0 && (
            <section className="card" aria-labelledby="earlier-h">
              <h2 id="earlier-h">それまでの回答（{answer.earlier.length}件）</h2>
              <p className="hint">同じ人が回答し直したときの、以前の回答です。集計とCSVには最新の回答だけを使います。</p>
              {answer.earlier.map((r) => (
                <details key={r.submittedAt} className="earlier-answer">
                  <summary>{formatDateTime(r.submittedAt)} の回答</summary>
                  <AnswerList form={form} response={r} anchors={false} />
                </details>
              ))}
            </section>
          )}
        </>
      )}
    </>
  );
}

function AnswerCard(props: { form: Form; response: CitizenResponse; heading: string }) {
  const r = props.response;
  return (
    <section className="card" aria-labelledby="latest-h">
      <h2 id="latest-h">{props.heading}</h2>
      <dl className="summary-list">
        <div>
          <dt>回答者</dt>
          <dd>
            {r.displayName || '（名前なし）'}
            <div className="hint mono">{r.userId}</div>
          </dd>
        </div>
        <div>
          <dt>回答日時</dt>
          <dd>{formatDateTime(r.submittedAt)}</dd>
        </div>
        <div>
          <dt>言語</dt>
          <dd>{LANGUAGE_LABELS[r.lang as Lang] ?? r.lang}</dd>
        </div>
        <div>
          <dt>フォームの版</dt>
          <dd>{r.version}</dd>
        </div>
        {r.consentedAt && (
          <div>
            <dt>同意日時</dt>
            <dd>{formatDateTime(r.consentedAt)}</dd>
          </div>
        )}
      </dl>
      <AnswerList form={props.form} response={r} anchors />
    </section>
  );
}

function AnswerList(props: { form: Form; response: ResponseRow; anchors: boolean }) {
  const items = props.form.items.filter((i) => !i.retired || props.response.answers?.[i.itemId] !== undefined);
  return (
    <dl className="answer-list">
      {items.map((item) => (
        <div key={item.itemId} id={props.anchors ? `item-${item.itemId}` : undefined} className="answer-row">
          <dt>
            {item.label.ja}
            {item.retired && <span className="hint">（非表示の質問）</span>}
          </dt>
          <dd>
            <AnswerCell item={item} value={props.response.answers?.[item.itemId]} large />
          </dd>
        </div>
      ))}
    </dl>
  );
}
