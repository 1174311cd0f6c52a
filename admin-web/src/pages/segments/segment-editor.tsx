import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { createSegment, deleteSegment, getSegment, segmentFields, updateSegment, type Segment, type SegmentFields, type SegmentRule } from '../../api/segments';
import { Alert, Field, Link, Loading, PageHeader } from '../../components/ui';
import { useConfirm } from '../../components/dialog';
import { formatDateTime, personName } from '../../format';
import { navigate } from '../../router';
import { AudienceCountLine, RuleEditor } from './rule-editor';
import { ruleProblems, ruleText } from './rule-text';

interface Draft {
  name: string;
  description: string;
  rule: SegmentRule;
}

/** A message carried to the segment's own page after it was created (the address changes). */
let flash: string | null = null;

/** セグメントの作成・編集: name, description, conditions, live count, save / delete. `segmentId` null = new. */
export function SegmentEditor(props: { segmentId: string | null }) {
  const { segmentId } = props;
  const [segment, setSegment] = useState<Segment | null>(null);
  const [draft, setDraft] = useState<Draft | null>(segmentId ? null : { name: '', description: '', rule: { match: 'all', conditions: [] } });
  const [fields, setFields] = useState<SegmentFields | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<string | null>(() => {
    const f = flash;
    flash = null;
    return f;
  });
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    if (!segmentId) return;
    setLoadError(null);
    try {
      const s = await getSegment(segmentId);
      setSegment(s);
      setDraft({ name: s.name, description: s.description ?? '', rule: s.rule });
      setConflict(false);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [segmentId]);

  useEffect(() => {
    void load();
    segmentFields().then(setFields, (e) => setError(`条件の選択肢を読み込めませんでした: ${messageOf(e)}`));
  }, [load]);

  if (loadError)
    return (
      <>
        <PageHeader title="セグメント" />
        <Alert>{loadError}</Alert>
        <Link to="/segments">セグメント一覧へ戻る</Link>
      </>
    );
  if (!draft) return <Loading />;

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setNotice(null);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const found = [...(draft.name.trim() ? [] : ['名前を入力してください。']), ...ruleProblems(draft.rule)];
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    setError(null);
    try {
      const body = { name: draft.name.trim(), ...(draft.description.trim() ? { description: draft.description.trim() } : {}), rule: draft.rule };
      if (segment) {
        const saved = await updateSegment(segment.segmentId, { ...body, version: segment.version });
        setSegment(saved);
        setDraft({ name: saved.name, description: saved.description ?? '', rule: saved.rule });
        setNotice(`セグメント「${saved.name}」を保存しました。配信先を選ぶときに、新しい条件で使えます。`);
      } else {
        const created = await createSegment(body);
        flash = `セグメント「${created.name}」を作成しました。配信を作るときに「配信先」として選べます。`;
        navigate(`/segments/${encodeURIComponent(created.segmentId)}`, { replace: true });
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'conflict') setConflict(true);
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!segment) return;
    const yes = await ask({
      title: 'セグメントの削除',
      body: (
        <>
          <p>セグメント「{segment.name}」を削除しますか？</p>
          <p className="hint">これまでの配信の記録（誰に送ったかの条件）は消えません。</p>
        </>
      ),
      confirm: '削除する',
      danger: true,
    });
    if (!yes) return;
    setBusy(true);
    setError(null);
    try {
      await deleteSegment(segment.segmentId);
      navigate('/segments');
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/segments">セグメント</Link> ›
      </p>
      <PageHeader title={segment ? segment.name : 'セグメントの作成'} />
      {conflict && (
        <Alert>
          <p className="alert-title">ほかの職員が、このセグメントを先に保存しました。</p>
          <p>相手の変更を上書きしないため、保存しませんでした。最新の内容を読み込んでから、もう一度変更してください（この画面の変更は消えます）。</p>
          <button type="button" className="button" onClick={() => void load()}>
            最新の内容を読み込む
          </button>
        </Alert>
      )}
      {error && <Alert>{error}</Alert>}
      {problems.length > 0 && (
        <Alert>
          保存できませんでした。次の点を直してください。
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {notice && <Alert kind="success">{notice}</Alert>}
      <form className="card form-editor segment-form" onSubmit={save} aria-label="セグメントの内容">
        <Field label="名前" required hint="配信先を選ぶときに表示されます。例: 荒尾地区の65歳以上">
          {(id, describedBy) => (
            <input id={id} aria-describedby={describedBy} value={draft.name} maxLength={60} onChange={(e) => change({ name: e.target.value })} />
          )}
        </Field>
        <Field label="説明" hint="どんな配信に使うかなど、職員向けのメモです（任意）。">
          {(id, describedBy) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={2}
              value={draft.description}
              maxLength={200}
              onChange={(e) => change({ description: e.target.value })}
            />
          )}
        </Field>
        <h2>条件</h2>
        <RuleEditor rule={draft.rule} fields={fields} onChange={(rule) => change({ rule })} />
        <div className="count-box">
          <AudienceCountLine rule={draft.rule} />
          <p className="hint">条件の内容: {ruleText(draft.rule, fields)}</p>
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? '保存しています…' : '保存する'}
          </button>
          <Link to="/segments" className="button">
            一覧へ戻る
          </Link>
          {segment && (
            <button type="button" className="button danger" onClick={remove} disabled={busy}>
              削除する
            </button>
          )}
        </div>
        {segment && (
          <p className="hint">
            最終更新 {formatDateTime(segment.updatedAt)}（{personName(segment.updatedByName, segment.updatedBy)}）
          </p>
        )}
      </form>
      {dialog}
    </>
  );
}
