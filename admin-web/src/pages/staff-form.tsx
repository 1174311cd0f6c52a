import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/client';
import { getReportSettings, type ReportCategory } from '../api/reports';
import { createStaff, listStaff, resetPassword, updateStaff } from '../api/staff';
import type { FunctionId, Me, Role, Staff } from '../api/types';
import { Alert, Field, Link, Loading, PageHeader } from '../components/ui';
import { useConfirm, type ConfirmOptions } from '../components/dialog';
import { FUNCTIONS, PASSWORD_POLICY, ROLE_LABEL, canUse } from '../functions';
import { formatDateTime } from '../format';
import { navigate } from '../router';
import { StatusBadges } from './staff-list';
import { LOGIN_ID_HINT, createdMessage, loginIdPreview, noFunctionsWarning, reportCategoriesFor } from './staff-texts';

/** A message carried to the next screen after a redirect (e.g. "作成しました"). */
let flash: string | null = null;
function takeFlash(): string | null {
  const f = flash;
  flash = null;
  return f;
}

interface Problems {
  message?: string;
  fields: Record<string, string>;
}

function problemsOf(error: unknown, fieldFor409?: string): Problems {
  if (!(error instanceof ApiError)) return { message: messageOf(error), fields: {} };
  const fields = error.fieldErrors();
  if (error.status === 409 && fieldFor409 && !fields[fieldFor409]) fields[fieldFor409] = error.message;
  const shown = Object.keys(fields).length > 0;
  return { message: shown ? '入力内容を確認してください。各項目の下に理由を表示しています。' : error.message, fields };
}

/** Asked before saving a general account without any function (it could only sign in and see the dashboard). */
function noFunctionsQuestion(displayName: string, confirm: string): ConfirmOptions {
  return {
    title: '使える機能が選ばれていません',
    body: (
      <>
        <p>{noFunctionsWarning(displayName)}</p>
        <p className="hint">使える機能は「使える機能」で選べます。あとから付けることもできます。</p>
      </>
    ),
    confirm,
  };
}

/** Which functions this signed-in account may hand out (a general `staff` holder: only its own). */
function grantable(me: Me): Set<FunctionId> {
  return new Set(me.role === 'admin' ? FUNCTIONS.map((f) => f.id) : me.permissions);
}

/**
 * 市民通報で見られる種類: checkboxes of the report settings' categories (read when the signed-in
 * account may use 市民通報; otherwise the chosen ids are shown as they are). None ticked = every
 * category. A manager limited to some categories gives only those.
 */
function ReportCategoriesField(props: { me: Me; value: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const { me } = props;
  const mayRead = canUse(me, 'reports');
  const [categories, setCategories] = useState<ReportCategory[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!mayRead) return;
    getReportSettings().then(
      (s) => setCategories(s.categories),
      () => setFailed(true),
    );
  }, [mayRead]);
  const own = me.role === 'admin' || !me.reportCategories?.length ? null : me.reportCategories;
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.value, id] : props.value.filter((c) => c !== id));
  return (
    <fieldset className={props.error ? 'field has-error' : 'field'}>
      <legend>市民通報で見られる種類</legend>
      {categories ? (
        <div className="checkbox-grid">
          {categories.map((c) => {
            const allowed = !own || own.includes(c.id);
            return (
              <label key={c.id} className={allowed ? 'choice' : 'choice disabled'}>
                <input
                  type="checkbox"
                  name="reportCategories"
                  value={c.id}
                  checked={props.value.includes(c.id)}
                  disabled={!allowed}
                  onChange={(e) => toggle(c.id, e.target.checked)}
                />
                {c.label.ja}
                {c.retired ? '（受付終了）' : ''}
              </label>
            );
          })}
          {props.value
            .filter((id) => !categories.some((c) => c.id === id))
            .map((id) => (
              <label key={id} className="choice">
                <input type="checkbox" name="reportCategories" value={id} checked onChange={() => toggle(id, false)} />
                {id}（設定にない種類）
              </label>
            ))}
        </div>
      ) : mayRead && !failed ? (
        <p className="hint">種類を読み込んでいます…</p>
      ) : (
        <p data-testid="report-categories-text">{props.value.length ? props.value.join('、') : 'すべての種類'}</p>
      )}
      <p className="hint">
        {own
          ? `あなたが見られる種類（${own.join('、')}）の中から選んでください。`
          : '選ばなければ、すべての種類の通報を見られます。選ぶと、その種類の通報だけを見られます（一覧・地図・CSVとも）。'}
      </p>
      {props.error && (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

function RoleAndFunctions(props: {
  me: Me;
  role: Role;
  permissions: FunctionId[];
  onRole: (r: Role) => void;
  onPermissions: (p: FunctionId[]) => void;
  reportCategories: string[];
  onReportCategories: (ids: string[]) => void;
  fields: Record<string, string>;
}) {
  const allowed = grantable(props.me);
  const toggle = (id: FunctionId, on: boolean) => props.onPermissions(on ? [...props.permissions, id] : props.permissions.filter((p) => p !== id));
  return (
    <>
      <fieldset className={props.fields.role ? 'field has-error' : 'field'}>
        <legend>権限</legend>
        <div className="radio-row">
          {(['general', 'admin'] as Role[]).map((r) => (
            <label key={r} className="choice">
              <input
                type="radio"
                name="role"
                value={r}
                checked={props.role === r}
                disabled={r === 'admin' && props.me.role !== 'admin'}
                onChange={() => props.onRole(r)}
              />
              {ROLE_LABEL[r]}
            </label>
          ))}
        </div>
        <p className="hint">管理者はすべての機能を使えます。一般は、下で選んだ機能だけを使えます。</p>
        {props.fields.role && (
          <p className="field-error" role="alert">
            {props.fields.role}
          </p>
        )}
      </fieldset>
      {props.role === 'general' && (
        <fieldset className={props.fields.permissions ? 'field has-error' : 'field'}>
          <legend>使える機能</legend>
          <div className="checkbox-grid">
            {FUNCTIONS.map((f) => (
              <label key={f.id} className={allowed.has(f.id) ? 'choice' : 'choice disabled'}>
                <input
                  type="checkbox"
                  name="permissions"
                  value={f.id}
                  checked={props.permissions.includes(f.id)}
                  disabled={!allowed.has(f.id)}
                  onChange={(e) => toggle(f.id, e.target.checked)}
                />
                {f.label}
              </label>
            ))}
          </div>
          {props.me.role !== 'admin' && <p className="hint">あなた自身が使える機能だけを付けられます。</p>}
          {props.fields.permissions && (
            <p className="field-error" role="alert">
              {props.fields.permissions}
            </p>
          )}
        </fieldset>
      )}
      {props.role === 'general' && props.permissions.includes('reports') && (
        <ReportCategoriesField me={props.me} value={props.reportCategories} onChange={props.onReportCategories} error={props.fields.reportCategories} />
      )}
    </>
  );
}

export function StaffCreate(props: { me: Me }) {
  const [loginId, setLoginId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('general');
  const [permissions, setPermissions] = useState<FunctionId[]>([]);
  const [reportCategories, setReportCategories] = useState<string[]>([]);
  const [initialPassword, setInitialPassword] = useState('');
  const [problems, setProblems] = useState<Problems>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();
  const preview = loginIdPreview(loginId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (role === 'general' && permissions.length === 0 && !(await ask(noFunctionsQuestion(displayName, 'このまま作成する')))) return;
    setBusy(true);
    setProblems({ fields: {} });
    try {
      const created = await createStaff({
        loginId: loginId.trim(),
        displayName: displayName.trim(),
        role,
        permissions: role === 'admin' ? [] : permissions,
        reportCategories: reportCategoriesFor(role, permissions, reportCategories),
        initialPassword,
      });
      flash = createdMessage(created.loginId);
      navigate(`/staff/${encodeURIComponent(created.loginId)}`);
    } catch (err) {
      setProblems(problemsOf(err, 'loginId'));
      window.scrollTo(0, 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="職員アカウントの作成">
        <Link to="/staff" className="button">
          一覧へ戻る
        </Link>
      </PageHeader>
      {problems.message && <Alert>{problems.message}</Alert>}
      <form className="card form" onSubmit={submit} noValidate>
        <Field label="ログインID" required hint={LOGIN_ID_HINT} error={problems.fields.loginId}>
          {(id, d) => (
            <>
              <input
                id={id}
                name="loginId"
                autoComplete="off"
                spellCheck={false}
                aria-describedby={`${d ?? ''} ${id}-saved`.trim()}
                value={loginId}
                onChange={(e) => setLoginId(e.target.value)}
              />
              {preview && !problems.fields.loginId && (
                <p id={`${id}-saved`} className={preview.valid ? 'login-id-preview' : 'login-id-preview invalid'} data-testid="login-id-preview" role="status">
                  {preview.text}
                </p>
              )}
            </>
          )}
        </Field>
        <Field label="表示名" required hint="画面の右上や操作履歴に出る名前です（例: 総務課 荒尾 花子）。" error={problems.fields.displayName}>
          {(id, d) => <input id={id} name="displayName" aria-describedby={d} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <RoleAndFunctions
          me={props.me}
          role={role}
          permissions={permissions}
          onRole={setRole}
          onPermissions={setPermissions}
          reportCategories={reportCategories}
          onReportCategories={setReportCategories}
          fields={problems.fields}
        />
        <Field label="初期パスワード" required hint={PASSWORD_POLICY} error={problems.fields.initialPassword}>
          {(id, d) => (
            <input
              id={id}
              name="initialPassword"
              type="text"
              autoComplete="off"
              spellCheck={false}
              aria-describedby={d}
              value={initialPassword}
              onChange={(e) => setInitialPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? '作成しています…' : '作成する'}
          </button>
        </div>
      </form>
      {dialog}
    </>
  );
}

export function StaffEdit(props: { me: Me; loginId: string }) {
  const { me, loginId } = props;
  const [staff, setStaff] = useState<Staff | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(() => takeFlash());

  useEffect(() => {
    listStaff().then(
      (items) => setStaff(items.find((s) => s.loginId === loginId) ?? null),
      (e) => setLoadError(messageOf(e)),
    );
  }, [loginId]);

  const header = (
    <PageHeader title="職員アカウントの編集">
      <Link to="/staff" className="button">
        一覧へ戻る
      </Link>
    </PageHeader>
  );
  if (loadError)
    return (
      <>
        {header}
        <Alert>{loadError}</Alert>
      </>
    );
  if (staff === undefined)
    return (
      <>
        {header}
        <Loading />
      </>
    );
  if (staff === null)
    return (
      <>
        {header}
        <Alert>アカウント「{loginId}」は見つかりませんでした。</Alert>
      </>
    );

  const readOnly = staff.manageable === false;
  const readOnlyReason =
    staff.role === 'admin'
      ? '管理者のアカウントは、管理者だけが変更できます。'
      : 'このアカウントは、あなたが使えない機能も使えるため、変更やパスワード再設定はできません。管理者に依頼してください。';
  const changed = (s: Staff, message: string) => {
    setStaff(s);
    setNotice(message);
    window.scrollTo(0, 0);
  };

  return (
    <>
      {header}
      {notice && <Alert kind="success">{notice}</Alert>}
      <section className="card summary">
        <dl className="summary-list">
          <div>
            <dt>ログインID</dt>
            <dd>{staff.loginId}</dd>
          </div>
          <div>
            <dt>状態</dt>
            <dd>
              <StatusBadges staff={staff} />
            </dd>
          </div>
          <div>
            <dt>作成日時</dt>
            <dd>{formatDateTime(staff.createdAt)}</dd>
          </div>
          <div>
            <dt>最終サインイン</dt>
            <dd>{formatDateTime(staff.lastLoginAt)}</dd>
          </div>
        </dl>
      </section>
      {readOnly ? (
        <Alert kind="info">{readOnlyReason}</Alert>
      ) : (
        <>
          <EditDetails key={`${staff.loginId}-details`} me={me} staff={staff} onChanged={changed} />
          <ResetPassword
            staff={staff}
            onDone={() =>
              changed({ ...staff, locked: false }, `「${staff.loginId}」のパスワードを再設定しました。次のサインインで本人が新しいパスワードに変更します。`)
            }
          />
          <EnableDisable me={me} staff={staff} onChanged={changed} />
        </>
      )}
    </>
  );
}

function EditDetails(props: { me: Me; staff: Staff; onChanged: (s: Staff, message: string) => void }) {
  const { staff } = props;
  const [displayName, setDisplayName] = useState(staff.displayName);
  const [role, setRole] = useState<Role>(staff.role);
  const [permissions, setPermissions] = useState<FunctionId[]>(staff.permissions);
  const [reportCategories, setReportCategories] = useState<string[]>(staff.reportCategories ?? []);
  const [problems, setProblems] = useState<Problems>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (role === 'general' && permissions.length === 0 && !(await ask(noFunctionsQuestion(displayName, 'このまま保存する')))) return;
    setBusy(true);
    setProblems({ fields: {} });
    try {
      const updated = await updateStaff(staff.loginId, {
        displayName: displayName.trim(),
        role,
        permissions: role === 'admin' ? [] : permissions,
        reportCategories: reportCategoriesFor(role, permissions, reportCategories),
      });
      props.onChanged(updated, `「${updated.displayName}」（${updated.loginId}）の内容を保存しました。`);
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="edit-heading">
      <h2 id="edit-heading">名前と権限</h2>
      {problems.message && <Alert>{problems.message}</Alert>}
      <Field label="表示名" required error={problems.fields.displayName}>
        {(id, d) => <input id={id} name="displayName" aria-describedby={d} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <RoleAndFunctions
        me={props.me}
        role={role}
        permissions={permissions}
        onRole={setRole}
        onPermissions={setPermissions}
        reportCategories={reportCategories}
        onReportCategories={setReportCategories}
        fields={problems.fields}
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? '保存しています…' : '保存する'}
        </button>
      </div>
      {dialog}
    </form>
  );
}

function ResetPassword(props: { staff: Staff; onDone: () => void }) {
  const [newPassword, setNewPassword] = useState('');
  const [problems, setProblems] = useState<Problems>({ fields: {} });
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblems({ fields: {} });
    try {
      await resetPassword(props.staff.loginId, newPassword);
      setNewPassword('');
      props.onDone();
    } catch (err) {
      const p = problemsOf(err);
      // A policy error names no field on this one-field form: show it under the field.
      if (!p.fields.newPassword && err instanceof ApiError && err.status === 400) p.fields.newPassword = err.message;
      setProblems(p);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="reset-heading">
      <h2 id="reset-heading">パスワード再設定</h2>
      <p className="muted">
        パスワードを忘れたときや、ロックされたときに使います。再設定するとロックも解除され、本人は次のサインインでパスワードを変更します。
      </p>
      {problems.message && !problems.fields.newPassword && <Alert>{problems.message}</Alert>}
      <Field label="新しいパスワード" hint={PASSWORD_POLICY} error={problems.fields.newPassword}>
        {(id, d) => (
          <input
            id={id}
            name="newPassword"
            type="text"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={d}
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy || !newPassword}>
          パスワードを再設定する
        </button>
      </div>
    </form>
  );
}

function EnableDisable(props: { me: Me; staff: Staff; onChanged: (s: Staff, message: string) => void }) {
  const { staff } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();
  const self = staff.loginId === props.me.loginId;

  const toggle = async () => {
    const disabling = !staff.disabled;
    if (
      disabling &&
      !(await ask({
        title: 'アカウントの無効化',
        body: (
          <>
            <p>
              「{staff.displayName}」（{staff.loginId}）を無効にしますか？
            </p>
            <p className="hint">このアカウントではサインインできなくなります。記録は残り、あとで有効に戻せます。</p>
          </>
        ),
        confirm: '無効にする',
        danger: true,
      }))
    )
      return;
    setBusy(true);
    setError(null);
    try {
      const updated = await updateStaff(staff.loginId, { disabled: disabling });
      props.onChanged(updated, disabling ? `「${staff.loginId}」を無効にしました。` : `「${staff.loginId}」を有効にしました。`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card form" aria-labelledby="disable-heading">
      <h2 id="disable-heading">{staff.disabled ? 'アカウントの有効化' : 'アカウントの無効化'}</h2>
      <p className="muted">
        {staff.disabled
          ? '有効にすると、このアカウントで再びサインインできるようになります。'
          : '異動や退職などで使わなくなったアカウントは無効にしてください。記録は残り、あとで有効に戻せます。'}
      </p>
      {error && <Alert>{error}</Alert>}
      <div className="form-actions">
        <button type="button" className={staff.disabled ? 'button' : 'button danger'} onClick={toggle} disabled={busy || (self && !staff.disabled)}>
          {staff.disabled ? '有効にする' : '無効にする'}
        </button>
        {self && !staff.disabled && <span className="muted">自分のアカウントは無効にできません。</span>}
      </div>
      {dialog}
    </section>
  );
}
