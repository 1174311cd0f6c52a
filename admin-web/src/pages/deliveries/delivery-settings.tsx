import { useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { getDeliverySettings, putDeliverySettings } from '../../api/deliveries';
import type { Me } from '../../api/types';
import { Alert, Loading, PageHeader } from '../../components/ui';
import { DeliveriesNav } from './common';

/** 配信の設定 (administrators): whether general accounts need approval to send. */
export function DeliverySettingsPage(props: { me: Me }) {
  const [approval, setApproval] = useState<boolean | null>(null);
  const [saved, setSaved] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isAdmin = props.me.role === 'admin';

  useEffect(() => {
    getDeliverySettings().then(
      (s) => {
        setApproval(s.approvalRequired);
        setSaved(s.approvalRequired);
      },
      (e) => setError(messageOf(e)),
    );
  }, []);

  const save = async () => {
    if (approval === null) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const s = await putDeliverySettings({ approvalRequired: approval });
      setSaved(s.approvalRequired);
      setNotice(
        s.approvalRequired
          ? '保存しました。一般の職員は「承認を依頼」し、管理者が承認して送ります。'
          : '保存しました。配信の権限がある職員は、承認なしで送れます。',
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="配信の設定" />
      <DeliveriesNav me={props.me} />
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      {approval === null && !error && <Loading />}
      {approval !== null && (
        <section className="card form" aria-label="承認の設定">
          <label className="choice">
            <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} disabled={!isAdmin} />
            承認を必須にする
          </label>
          <p className="hint">
            オンにすると、一般の職員は配信を直接送れず「承認を依頼」します。管理者が内容を確かめて「承認して送信」を押すと送られます（差し戻しもできます）。くり返し配信の作成・変更も管理者だけになります。
          </p>
          {!isAdmin && <p className="hint">この設定は管理者だけが変えられます。</p>}
          <div className="form-actions">
            <button type="button" className="button primary" onClick={() => void save()} disabled={!isAdmin || busy || approval === saved}>
              保存する
            </button>
          </div>
        </section>
      )}
    </>
  );
}
