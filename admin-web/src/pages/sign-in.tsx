import { useRef, useState, type FormEvent } from 'react';
import { login } from '../api/auth';
import { ApiError, messageOf } from '../api/client';
import type { Me } from '../api/types';
import { Alert, Field } from '../components/ui';
import { formatDateTime } from '../format';

/** ID + password; the one-time code field appears when the server answers totp_required. */
export function SignIn(props: { notice?: string; onSignedIn: (me: Me) => void }) {
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!loginId.trim() || !password) {
      setError('ログインIDとパスワードを入力してください。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await login(loginId.trim(), password, needTotp ? totp.trim() : undefined);
      props.onSignedIn(session.me);
    } catch (err) {
      setError(signInMessage(err, needTotp));
      if (err instanceof ApiError && err.code === 'totp_required') {
        const first = !needTotp;
        setNeedTotp(true);
        setTotp('');
        if (first) setError(null);
        setTimeout(() => totpRef.current?.focus(), 0);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin-screen">
      <div className="signin-card card">
        <div className="signin-brand">
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          <div>
            <div className="signin-city">荒尾市</div>
            <div className="signin-title">LINE 公式アカウント 管理画面</div>
          </div>
        </div>
        <h1 className="signin-heading">サインイン</h1>
        {props.notice && !error && <Alert kind="info">{props.notice}</Alert>}
        {error && <Alert>{error}</Alert>}
        <form onSubmit={submit} noValidate>
          <Field label="ログインID">
            {(id) => <input id={id} name="loginId" autoComplete="username" value={loginId} onChange={(e) => setLoginId(e.target.value)} autoFocus />}
          </Field>
          <Field label="パスワード">
            {(id) => (
              <input id={id} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            )}
          </Field>
          {needTotp && (
            <Field label="確認コード（6桁）" hint="認証アプリに表示されている6桁の数字を入力してください。">
              {(id, describedBy) => (
                <input
                  id={id}
                  ref={totpRef}
                  name="totp"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]*"
                  maxLength={6}
                  aria-describedby={describedBy}
                  value={totp}
                  onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))}
                />
              )}
            </Field>
          )}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'サインインしています…' : 'サインイン'}
          </button>
        </form>
        <p className="signin-help">パスワードを忘れたときや、アカウントがロックされたときは、管理者に連絡してください。</p>
      </div>
    </div>
  );
}

function signInMessage(err: unknown, hadTotp: boolean): string {
  if (!(err instanceof ApiError)) return messageOf(err);
  if (err.status === 423 || err.code === 'locked') {
    const until = lockedUntil(err);
    return until
      ? `パスワードを続けて間違えたため、このアカウントは ${formatDateTime(until)} までロックされています。その後にもう一度お試しいただくか、管理者に連絡してください。`
      : 'パスワードを続けて間違えたため、このアカウントはしばらくロックされています。時間をおいてお試しいただくか、管理者に連絡してください。';
  }
  if (err.code === 'totp_required') return hadTotp ? '確認コードが正しくありません。認証アプリの最新のコードを入力してください。' : '';
  if (err.code === 'invalid_credentials') return err.message || 'ログインIDまたはパスワードが正しくありません。';
  return err.message;
}

function lockedUntil(err: ApiError): string | undefined {
  const fromBody = err.body.lockedUntil;
  if (typeof fromBody === 'string') return fromBody;
  for (const d of err.details) if (typeof d.lockedUntil === 'string') return d.lockedUntil;
  return undefined;
}
