import { useState, type FormEvent } from 'react';
import { changePassword, currentSession, disableTotp, enableTotp, startTotpSetup } from '../api/auth';
import { ApiError, messageOf } from '../api/client';
import type { Me } from '../api/types';
import { Alert, Field, PageHeader } from '../components/ui';
import { PASSWORD_POLICY, ROLE_LABEL } from '../functions';

export function AccountSettings(props: { me: Me; onMeChange: (me: Me) => void; forced?: boolean }) {
  const { me } = props;
  const refresh = async () => {
    const session = await currentSession();
    if (session) props.onMeChange(session.me);
  };
  return (
    <>
      <PageHeader title="アカウント設定" />
      {props.forced && (
        <Alert kind="info">
          初めてのサインイン、またはパスワードが再設定されたため、パスワードの変更が必要です。新しいパスワードを決めて変更すると、ほかの画面が使えるようになります。
        </Alert>
      )}
      <section className="card summary">
        <dl className="summary-list">
          <div>
            <dt>ログインID</dt>
            <dd>{me.loginId}</dd>
          </div>
          <div>
            <dt>表示名</dt>
            <dd>{me.displayName}</dd>
          </div>
          <div>
            <dt>権限</dt>
            <dd>{ROLE_LABEL[me.role]}</dd>
          </div>
          {me.role === 'admin' && (
            <div>
              <dt>二要素認証</dt>
              <dd>{me.totpEnabled ? '有効' : '未設定'}</dd>
            </div>
          )}
        </dl>
      </section>
      <PasswordForm me={me} onChanged={refresh} />
      {me.role === 'admin' && !props.forced && <TotpSection me={me} onChanged={refresh} />}
    </>
  );
}

function PasswordForm(props: { me: Me; onChanged: () => Promise<void> }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const local: Record<string, string> = {};
    if (!currentPassword) local.currentPassword = '今のパスワードを入力してください。';
    if (!newPassword) local.newPassword = '新しいパスワードを入力してください。';
    else if (newPassword !== confirm) local.confirm = '確認のため、同じパスワードをもう一度入力してください。';
    setFields(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await changePassword(currentPassword, newPassword);
      setCurrent('');
      setNew('');
      setConfirm('');
      setDone(true);
      await props.onChanged();
    } catch (err) {
      if (err instanceof ApiError) {
        const f = err.fieldErrors();
        if (err.status === 400 && !f.newPassword && !f.currentPassword) f.newPassword = err.message;
        setFields(f);
        if (err.status !== 400) setError(err.message);
      } else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">パスワードの変更</h2>
      {done && <Alert kind="success">パスワードを変更しました。次回からは新しいパスワードでサインインしてください。</Alert>}
      {error && <Alert>{error}</Alert>}
      <input type="text" name="username" autoComplete="username" value={props.me.loginId} readOnly hidden />
      <Field label="今のパスワード" error={fields.currentPassword}>
        {(id, d) => (
          <input
            id={id}
            type="password"
            name="currentPassword"
            autoComplete="current-password"
            aria-describedby={d}
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
          />
        )}
      </Field>
      <Field label="新しいパスワード" hint={PASSWORD_POLICY} error={fields.newPassword}>
        {(id, d) => (
          <input
            id={id}
            type="password"
            name="newPassword"
            autoComplete="new-password"
            aria-describedby={d}
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
          />
        )}
      </Field>
      <Field label="新しいパスワード（確認）" error={fields.confirm}>
        {(id, d) => (
          <input
            id={id}
            type="password"
            name="confirmPassword"
            autoComplete="new-password"
            aria-describedby={d}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? '変更しています…' : 'パスワードを変更する'}
        </button>
      </div>
    </form>
  );
}

/** Two-factor sign-in for administrators: secret shown as text to type into an authenticator app. */
function TotpSection(props: { me: Me; onChanged: () => Promise<void> }) {
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const begin = () => run(async () => setSetup(await startTotpSetup()));
  const confirmEnable = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await enableTotp(code.trim());
      setSetup(null);
      setCode('');
      setNotice('二要素認証を有効にしました。次回のサインインから確認コードの入力が必要です。');
      await props.onChanged();
    });
  };
  const disable = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await disableTotp(code.trim());
      setCode('');
      setNotice('二要素認証を無効にしました。');
      await props.onChanged();
    });
  };

  const codeField = (
    <Field label="確認コード（6桁）" hint="認証アプリに表示されている6桁の数字です。">
      {(id, d) => (
        <input
          id={id}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          aria-describedby={d}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
      )}
    </Field>
  );

  return (
    <section className="card form" aria-labelledby="totp-heading">
      <h2 id="totp-heading">二要素認証（管理者）</h2>
      <p className="muted">
        サインインのときに、パスワードに加えてスマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator
        など）が表示する6桁のコードを求めます。管理者のアカウントでは設定をおすすめします。
      </p>
      {notice && <Alert kind="success">{notice}</Alert>}
      {error && <Alert>{error}</Alert>}
      {props.me.totpEnabled ? (
        <form onSubmit={disable}>
          <p>
            現在の状態: <strong>有効</strong>
          </p>
          {codeField}
          <div className="form-actions">
            <button type="submit" className="button danger" disabled={busy || code.length !== 6}>
              二要素認証を無効にする
            </button>
          </div>
        </form>
      ) : setup ? (
        <form onSubmit={confirmEnable}>
          <ol className="steps">
            <li>
              認証アプリで「セットアップキーを入力」を選び、次のキーを入力します（アカウント名は任意、種類は「時間ベース」）。
              <div className="secret" data-testid="totp-secret">
                {setup.secret}
              </div>
            </li>
            <li>
              URL を読み込めるアプリでは、次の URL を使うこともできます。
              <div className="secret small" data-testid="totp-url">
                {setup.otpauthUrl}
              </div>
            </li>
            <li>アプリに表示された6桁のコードを入力して「有効にする」を押します。</li>
          </ol>
          {codeField}
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || code.length !== 6}>
              有効にする
            </button>
            <button type="button" className="button" onClick={() => setSetup(null)} disabled={busy}>
              やめる
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <span>
            現在の状態: <strong>未設定</strong>
          </span>
          <button type="button" className="button primary" onClick={begin} disabled={busy}>
            設定を始める
          </button>
        </div>
      )}
    </section>
  );
}
