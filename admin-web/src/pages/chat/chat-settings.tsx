/**
 * 1:1チャットの設定: office hours (days, times, public holidays, the year-end holidays, other
 * closed days; or none), LINE's 既読, and the canned answers every chat staff member can use.
 */
import { useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import {
  CHAT_LIMITS,
  WEEKDAY_LABELS,
  getCanned,
  getChatSettings,
  officeHoursText,
  putCanned,
  putChatSettings,
  type CannedAnswer,
  type CannedAnswersView,
  type ChatSettingsView,
  type OfficeHours,
} from '../../api/chat';
import { Alert, Field, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../format';

const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

export function ChatSettingsPage() {
  const [settings, setSettings] = useState<ChatSettingsView | null>(null);
  const [canned, setCanned] = useState<CannedAnswersView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([getChatSettings(), getCanned()]).then(
      ([s, c]) => {
        setSettings(s);
        setCanned(c);
      },
      (err) => setError(messageOf(err)),
    );
  }, []);

  return (
    <>
      <PageHeader title="1:1チャットの設定">
        <Link to="/chat" className="button">
          ← 1:1チャットへ戻る
        </Link>
      </PageHeader>
      {error && <Alert>{error}</Alert>}
      {!error && (!settings || !canned) && <Loading />}
      {settings && <HoursForm saved={settings} onSaved={setSettings} />}
      {canned && <CannedForm saved={canned} onSaved={setCanned} />}
    </>
  );
}

/** A form's save: busy while it runs, its error, and 「保存しました」 until the next edit (`edited`). */
function useSave() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const run = async (save: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await save();
      setDone(true);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run, edited: () => setDone(false) };
}

function HoursForm(props: { saved: ChatSettingsView; onSaved: (s: ChatSettingsView) => void }) {
  const [hours, setHours] = useState<OfficeHours>(props.saved.officeHours);
  const [markAsRead, setMarkAsRead] = useState(props.saved.markAsRead);
  const [closed, setClosed] = useState(props.saved.officeHours.closedDates.join('\n'));
  const { busy, error, done, run, edited } = useSave();
  const change = (patch: Partial<OfficeHours>) => {
    edited();
    setHours((h) => ({ ...h, ...patch }));
  };

  const save = () =>
    run(async () => {
      const closedDates = closed
        .split(/[\s,、]+/)
        .map((d) => d.trim().replaceAll('/', '-'))
        .filter(Boolean);
      props.onSaved(await putChatSettings({ officeHours: { ...hours, closedDates }, markAsRead, rev: props.saved.rev }));
    });

  return (
    <section className="card" aria-labelledby="hours-h">
      <h2 id="hours-h">受付時間</h2>
      <p className="hint">
        受付時間外に友だちが職員との会話を希望すると、次に受付する日時を自動で伝えます。メッセージは一覧に届き、受付時間になってから返信できます。いまの設定：
        {officeHoursText(props.saved.officeHours)}
      </p>
      <label className="choice chat-option">
        <input type="checkbox" checked={hours.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
        受付時間を設ける
      </label>
      {hours.enabled && (
        <>
          <fieldset className="field">
            <legend>受付する曜日</legend>
            <div className="radio-row">
              {DAY_ORDER.map((d) => (
                <label key={d} className="choice">
                  <input
                    type="checkbox"
                    checked={hours.days.includes(d)}
                    onChange={(e) => change({ days: e.target.checked ? [...hours.days, d] : hours.days.filter((x) => x !== d) })}
                  />
                  {WEEKDAY_LABELS[d]}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="inline-fields">
            <Field label="受付の始まり">{(id) => <input id={id} type="time" value={hours.from} onChange={(e) => change({ from: e.target.value })} />}</Field>
            <Field label="受付の終わり">{(id) => <input id={id} type="time" value={hours.to} onChange={(e) => change({ to: e.target.value })} />}</Field>
          </div>
          <label className="choice chat-option">
            <input type="checkbox" checked={hours.holidays} onChange={(e) => change({ holidays: e.target.checked })} />
            祝日・振替休日は休み
          </label>
          <label className="choice chat-option">
            <input
              type="checkbox"
              checked={hours.yearEnd !== null}
              onChange={(e) => change({ yearEnd: e.target.checked ? { from: '12-29', to: '01-03' } : null })}
            />
            年末年始は休み
          </label>
          {hours.yearEnd && (
            <div className="inline-fields">
              <Field label="年末年始の休みの始まり（月-日）">
                {(id) => (
                  <input id={id} value={hours.yearEnd!.from} maxLength={5} onChange={(e) => change({ yearEnd: { ...hours.yearEnd!, from: e.target.value } })} />
                )}
              </Field>
              <Field label="終わり（月-日）">
                {(id) => (
                  <input id={id} value={hours.yearEnd!.to} maxLength={5} onChange={(e) => change({ yearEnd: { ...hours.yearEnd!, to: e.target.value } })} />
                )}
              </Field>
            </div>
          )}
          <Field label="ほかの休みの日" hint="2026-12-28 のように、1行に1日ずつ入力します（庁舎の点検日など）。">
            {(id, describedBy) => (
              <textarea
                id={id}
                aria-describedby={describedBy}
                rows={3}
                value={closed}
                onChange={(e) => {
                  edited();
                  setClosed(e.target.value);
                }}
              />
            )}
          </Field>
        </>
      )}
      <label className="choice chat-option">
        <input
          type="checkbox"
          checked={markAsRead}
          onChange={(e) => {
            edited();
            setMarkAsRead(e.target.checked);
          }}
        />
        職員が会話を開いたら、友だちのLINEに「既読」をつける
      </label>
      <p className="hint">LINE Official Account Manager の応答設定で「チャット」をオンにしているときに働きます。</p>
      {error && <Alert>{error}</Alert>}
      {done && <Alert kind="success">受付時間を保存しました。</Alert>}
      <div className="form-actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void save()}>
          {busy ? '保存中…' : '受付時間を保存'}
        </button>
        {props.saved.updatedAt && <span className="hint">最後の変更：{formatDateTime(props.saved.updatedAt)}</span>}
      </div>
    </section>
  );
}

function CannedForm(props: { saved: CannedAnswersView; onSaved: (c: CannedAnswersView) => void }) {
  const [items, setItems] = useState<(Omit<CannedAnswer, 'id'> & { id?: string })[]>(props.saved.items);
  const { busy, error, done, run, edited } = useSave();
  const edit = (i: number, patch: Partial<CannedAnswer>) => {
    edited();
    setItems((list) => list.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  };
  const save = () =>
    run(async () => {
      const saved = await putCanned({ items, rev: props.saved.rev });
      // The server's list: new answers now have their ids, so the next save keeps them.
      setItems(saved.items);
      props.onSaved(saved);
    });
  return (
    <section className="card" aria-labelledby="canned-h">
      <h2 id="canned-h">定型文</h2>
      <p className="hint">返信の画面で選ぶと、本文が入力欄に入ります（送る前に直せます）。本文の {'{name}'} は友だちのLINEの名前になります。</p>
      {items.length === 0 && <p className="hint">定型文はまだありません。</p>}
      <ol className="canned-list">
        {items.map((c, i) => (
          <li key={c.id ?? `new-${i}`} className="canned-item">
            <Field label={`定型文${i + 1}の名前`}>
              {(id) => <input id={id} value={c.title} maxLength={CHAT_LIMITS.cannedTitleChars} onChange={(e) => edit(i, { title: e.target.value })} />}
            </Field>
            <Field label="本文">
              {(id) => <textarea id={id} rows={3} value={c.text} maxLength={CHAT_LIMITS.textChars} onChange={(e) => edit(i, { text: e.target.value })} />}
            </Field>
            <button
              type="button"
              className="button small"
              onClick={() => {
                edited();
                setItems((list) => list.filter((_, j) => j !== i));
              }}
            >
              この定型文を削除
            </button>
          </li>
        ))}
      </ol>
      {error && <Alert>{error}</Alert>}
      {done && <Alert kind="success">定型文を保存しました。</Alert>}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={items.length >= CHAT_LIMITS.cannedItems}
          onClick={() => {
            edited();
            setItems((list) => [...list, { title: '', text: '' }]);
          }}
        >
          定型文を追加
        </button>
        <button type="button" className="button primary" disabled={busy} onClick={() => void save()}>
          {busy ? '保存中…' : '定型文を保存'}
        </button>
      </div>
    </section>
  );
}
