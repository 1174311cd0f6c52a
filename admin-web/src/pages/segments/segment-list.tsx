import { useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { EVERYONE_ID, listSegments, segmentFields, type Segment, type SegmentFields } from '../../api/segments';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, personName } from '../../format';
import { ruleText } from './rule-text';

/** セグメント一覧: name, the conditions in words, last update. */
export function SegmentList() {
  const [items, setItems] = useState<Segment[] | null>(null);
  const [fields, setFields] = useState<SegmentFields | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listSegments().then(
      (r) => setItems(r.items),
      (e) => setError(messageOf(e)),
    );
    // Only for choice names in the descriptions: the list still shows without it.
    segmentFields().then(setFields, () => undefined);
  }, []);

  return (
    <>
      <PageHeader title="セグメント">
        <Link to="/segments/new" className="button primary">
          ＋ セグメントを作成
        </Link>
      </PageHeader>
      <p className="muted page-lead">
        セグメントは、配信先の友だちを「居住地区」「年代」などの条件で絞り込むための設定です。作ったセグメントは、配信を作るときに「配信先」として選べます。人数は送るときの友だちで数えなおします。
      </p>
      {error && <Alert>{error}</Alert>}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <EmptyState title="セグメントはまだありません" />}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table" aria-label="セグメント一覧">
              <thead>
                <tr>
                  <th scope="col">名前</th>
                  <th scope="col">条件</th>
                  <th scope="col">最終更新</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.segmentId}>
                    <td>
                      {s.segmentId === EVERYONE_ID ? <strong>{s.name}</strong> : <Link to={`/segments/${encodeURIComponent(s.segmentId)}`}>{s.name}</Link>}
                      {s.description && <div className="hint">{s.description}</div>}
                    </td>
                    <td className="rule-cell">{ruleText(s.rule, fields)}</td>
                    <td className="nowrap">
                      {s.segmentId === EVERYONE_ID ? (
                        <span className="muted">標準（変更できません）</span>
                      ) : (
                        <>
                          {formatDateTime(s.updatedAt)}
                          <div className="hint">{personName(s.updatedByName, s.updatedBy)}</div>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
