/**
 * The console shell: session check at start (GET /auth/me), sign-in screen when signed out or
 * when any call answers 401, then header + left navigation limited to what the account may use.
 */
import { useCallback, useEffect, useState } from 'react';
import { currentSession, logout } from './api/auth';
import { messageOf, setUnauthenticatedHandler } from './api/client';
import type { Me } from './api/types';
import { Alert, EmptyState, Link, Loading, PageHeader } from './components/ui';
import { FUNCTIONS, ROLE_LABEL, canUse } from './functions';
import { AccountSettings } from './pages/account-settings';
import { AuditLog } from './pages/audit-log';
import { ComingSoon } from './pages/coming-soon';
import { DashboardPage } from './pages/dashboard';
import { DeliveryCompose } from './pages/deliveries/delivery-compose';
import { DeliveryDetail } from './pages/deliveries/delivery-detail';
import { DeliveryList } from './pages/deliveries/delivery-list';
import { DeliverySettingsPage } from './pages/deliveries/delivery-settings';
import { HeldMails } from './pages/disaster-mail/held-mails';
import { RichMenuPages } from './pages/richmenus';
import { useHeldCount, useHeldCountPolling } from './pages/disaster-mail/held-count';
import { useChatPolling, useChatState } from './pages/chat/chat-state';
import { ChatInbox } from './pages/chat/chat-inbox';
import { ChatSettingsPage } from './pages/chat/chat-settings';
import { MailDetail, MailLog } from './pages/disaster-mail/mail-log';
import { DisasterMailSettings } from './pages/disaster-mail/settings';
import { TryOut } from './pages/disaster-mail/try-out';
import { RecurringEditor, RecurringList } from './pages/deliveries/recurring';
import { ReportList } from './pages/reports/report-list';
import { ReportMap } from './pages/reports/report-map';
import { ReportPage } from './pages/reports/report-page';
import { ReportSettingsPage } from './pages/reports/report-settings';
import { FormEditor } from './pages/forms/form-editor';
import { FormResponses } from './pages/forms/form-responses';
import { FormAnswer } from './pages/forms/form-answer';
import { FormsList } from './pages/forms/forms-list';
import { FriendList } from './pages/friends/friend-list';
import { FriendPage } from './pages/friends/friend-page';
import { Hits } from './pages/keywords/hits';
import { RuleEditor } from './pages/keywords/rule-editor';
import { RuleList } from './pages/keywords/rule-list';
import { ScenarioEditor } from './pages/scenarios/scenario-editor';
import { ScenarioList } from './pages/scenarios/scenario-list';
import { ScenarioResults } from './pages/scenarios/scenario-results';
import { Unanswered } from './pages/keywords/unanswered';
import { ManualPage } from './pages/manual';
import { SegmentEditor } from './pages/segments/segment-editor';
import { SegmentList } from './pages/segments/segment-list';
import { SignIn } from './pages/sign-in';
import { StaffCreate, StaffEdit } from './pages/staff-form';
import { StaffList } from './pages/staff-list';
import { navigate, usePath } from './router';

type State = { kind: 'loading' } | { kind: 'unreachable'; message: string } | { kind: 'signedOut'; notice?: string } | { kind: 'signedIn'; me: Me };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const check = useCallback(() => {
    setState({ kind: 'loading' });
    currentSession().then(
      (session) => setState(session ? { kind: 'signedIn', me: session.me } : { kind: 'signedOut' }),
      (error) => setState({ kind: 'unreachable', message: messageOf(error) }),
    );
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() =>
      setState({ kind: 'signedOut', notice: 'サインインの有効期限が切れたため、サインアウトしました。もう一度サインインしてください。' }),
    );
    check();
  }, [check]);

  useEffect(() => {
    document.title = state.kind === 'signedIn' ? '管理画面 | 荒尾市 LINE 公式アカウント' : 'サインイン | 荒尾市 LINE 公式アカウント';
  }, [state.kind]);

  switch (state.kind) {
    case 'loading':
      return (
        <div className="center-screen">
          <Loading />
        </div>
      );
    case 'unreachable':
      return (
        <div className="center-screen">
          <div className="card narrow">
            <Alert>{state.message}</Alert>
            <button type="button" className="button" onClick={check}>
              もう一度試す
            </button>
          </div>
        </div>
      );
    case 'signedOut':
      return <SignIn notice={state.notice} onSignedIn={(me) => setState({ kind: 'signedIn', me })} />;
    case 'signedIn':
      return (
        <Shell
          me={state.me}
          onMeChange={(me) => setState({ kind: 'signedIn', me })}
          onSignedOut={() => {
            navigate('/', { replace: true });
            setState({ kind: 'signedOut', notice: 'サインアウトしました。' });
          }}
        />
      );
  }
}

function Shell(props: { me: Me; onMeChange: (me: Me) => void; onSignedOut: () => void }) {
  const { me } = props;
  const path = usePath();
  const [signingOut, setSigningOut] = useState(false);
  // A message that outlives the page that caused it (the forced password change → dashboard).
  const [banner, setBanner] = useState<{ text: string; path: string } | null>(null);

  const signOut = async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // Signed out locally either way; the session also expires on its own.
    }
    props.onSignedOut();
  };

  // The badge of 防災メール連携: held mails waiting for approval (polled while the console is in use).
  const watchesHeld = canUse(me, 'disasterMail') && !me.mustChangePassword;
  useHeldCountPolling(watchesHeld);
  const held = useHeldCount();
  // The badge of 1:1チャット: open conversations with unread messages.
  const watchesChat = canUse(me, 'chat') && !me.mustChangePassword;
  useChatPolling(watchesChat);
  const chat = useChatState();

  const nav: { path: string; label: string; count?: { value: number; label: string } }[] = [
    { path: '/', label: 'ダッシュボード' },
    ...FUNCTIONS.filter((f) => canUse(me, f.id)).map((f) => ({
      path: f.path,
      label: f.label,
      ...(f.id === 'disasterMail' && watchesHeld && held ? { count: { value: held, label: `承認待ち ${held}件` } } : {}),
      ...(f.id === 'chat' && watchesChat && chat?.unread ? { count: { value: chat.unread, label: `未読 ${chat.unread}件` } } : {}),
    })),
    { path: '/account', label: 'アカウント設定' },
    { path: '/manual/', label: '操作マニュアル' },
  ];
  const current = nav.reduce((best, item) => (isUnder(path, item.path) && item.path.length > best.length ? item.path : best), '');

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        本文へ移動
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          荒尾市 LINE 公式アカウント 管理画面
        </div>
        <div className="whoami" data-testid="whoami">
          <span className="whoami-name">{me.displayName}</span>
          <span className="whoami-id">（{me.loginId}）</span>
          <span className={`badge role-${me.role}`}>{ROLE_LABEL[me.role]}</span>
        </div>
      </header>
      <div className="body">
        <nav className="sidenav" aria-label="メニュー">
          <ul>
            {nav.map((item) => (
              <li key={item.path}>
                <Link to={item.path} className={item.path === current ? 'active' : undefined} aria-current={item.path === current ? 'page' : undefined}>
                  {item.label}
                  {item.count && (
                    <span className="nav-count" role="img" aria-label={item.count.label} title={item.count.label}>
                      {item.count.value}
                    </span>
                  )}
                </Link>
              </li>
            ))}
            <li className="nav-separator">
              <button type="button" className="nav-button" onClick={signOut} disabled={signingOut}>
                サインアウト
              </button>
            </li>
          </ul>
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          {banner && banner.path === path && <Alert kind="success">{banner.text}</Alert>}
          {me.mustChangePassword ? (
            <AccountSettings
              me={me}
              forced
              onMeChange={(next) => {
                if (!next.mustChangePassword) setBanner({ text: 'パスワードを変更しました。次回からは新しいパスワードでサインインしてください。', path });
                props.onMeChange(next);
              }}
            />
          ) : (
            <Page path={path} me={me} onMeChange={props.onMeChange} />
          )}
        </main>
      </div>
    </div>
  );
}

/** A path segment as typed: a malformed escape (`%e3%8`) is kept as it is rather than breaking the page. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isUnder(path: string, base: string): boolean {
  if (base === '/') return path === '/';
  const b = base.replace(/\/$/, '');
  return path === b || path.startsWith(`${b}/`);
}

function Page(props: { path: string; me: Me; onMeChange: (me: Me) => void }) {
  const { path, me } = props;
  if (path === '/' || path === '/index.html') return <DashboardPage />;
  if (path === '/account') return <AccountSettings me={me} onMeChange={props.onMeChange} />;
  if (path === '/manual' || path.startsWith('/manual/')) return <ManualPage />;

  const fn = FUNCTIONS.find((f) => isUnder(path, f.path));
  if (!fn) return <NotFound />;
  if (!canUse(me, fn.id)) return <Forbidden label={fn.label} />;
  if (fn.comingSoon) return <ComingSoon title={fn.label} description={fn.comingSoon} />;
  if (fn.id === 'staff') {
    if (path === '/staff') return <StaffList me={me} />;
    if (path === '/staff/new') return <StaffCreate me={me} />;
    const loginId = safeDecode(path.slice('/staff/'.length));
    return <StaffEdit me={me} loginId={loginId} />;
  }
  if (fn.id === 'audit' && path === '/audit') return <AuditLog />;
  if (fn.id === 'surveys') {
    if (path === '/surveys' || path === '/surveys/') return <FormsList />;
    const answer = /^\/surveys\/([^/]+)\/responses\/(U[0-9a-f]{32})\/?$/.exec(path);
    if (answer) return <FormAnswer key={path} formId={safeDecode(answer[1])} userId={answer[2]} />;
    const m = /^\/surveys\/([^/]+)(\/responses)?\/?$/.exec(path);
    if (m) {
      const formId = safeDecode(m[1]);
      return m[2] ? <FormResponses key={formId} formId={formId} /> : <FormEditor key={formId} formId={formId} />;
    }
  }
  if (fn.id === 'segments') {
    if (path === '/segments' || path === '/segments/') return <SegmentList />;
    if (path === '/segments/new') return <SegmentEditor key="new" segmentId={null} />;
    const m = /^\/segments\/([^/]+)\/?$/.exec(path);
    if (m) return <SegmentEditor key={m[1]} segmentId={safeDecode(m[1])} />;
  }
  if (fn.id === 'friends') {
    if (path === '/friends' || path === '/friends/') return <FriendList />;
    const m = /^\/friends\/(U[0-9a-f]{32})\/?$/.exec(path);
    if (m) return <FriendPage key={m[1]} userId={m[1]} me={me} />;
  }
  if (fn.id === 'keywords') {
    if (path === '/keywords' || path === '/keywords/') return <RuleList />;
    if (path === '/keywords/new') return <RuleEditor key={`new${location.search}`} ruleId={null} />;
    if (path === '/keywords/unanswered') return <Unanswered />;
    if (path === '/keywords/hits') return <Hits />;
    const m = /^\/keywords\/([0-9A-Z]{26})\/?$/.exec(path);
    if (m) return <RuleEditor key={m[1]} ruleId={m[1]} />;
  }
  if (fn.id === 'richMenus' && /^\/richmenus(\/|$)/.test(path)) return <RichMenuPages path={path} />;
  if (fn.id === 'chat') {
    if (path === '/chat/settings') return <ChatSettingsPage />;
    const m = /^\/chat(?:\/(U[0-9a-f]{32}))?\/?$/.exec(path);
    if (m) return <ChatInbox me={me} userId={m[1] ?? null} />;
  }
  if (fn.id === 'reports') {
    if (path === '/reports' || path === '/reports/') return <ReportList me={me} />;
    if (path === '/reports/map') return <ReportMap me={me} />;
    if (path === '/reports/settings') return <ReportSettingsPage me={me} />;
    const m = /^\/reports\/([0-9A-Z]{26})\/?$/.exec(path);
    if (m) return <ReportPage key={m[1]} me={me} reportId={m[1]} />;
  }
  if (fn.id === 'scenarios') {
    if (path === '/scenarios' || path === '/scenarios/') return <ScenarioList />;
    const m = /^\/scenarios\/([0-9A-Z]{26})(\/results)?\/?$/.exec(path);
    if (m) return m[2] ? <ScenarioResults key={`results${m[1]}`} scenarioId={m[1]} /> : <ScenarioEditor key={m[1]} scenarioId={m[1]} />;
  }
  if (fn.id === 'disasterMail') {
    if (path === '/disaster-mail' || path === '/disaster-mail/') return <MailLog me={me} />;
    if (path === '/disaster-mail/held') return <HeldMails />;
    if (path === '/disaster-mail/settings') return <DisasterMailSettings />;
    if (path === '/disaster-mail/try') return <TryOut me={me} />;
    const m = /^\/disaster-mail\/mails\/([^/]+)\/?$/.exec(path);
    if (m) return <MailDetail key={m[1]} me={me} mailId={safeDecode(m[1])} />;
  }
  if (fn.id === 'deliveries') {
    if (path === '/deliveries' || path === '/deliveries/') return <DeliveryList me={me} />;
    if (path === '/deliveries/new') return <DeliveryCompose key={`new${location.search}`} me={me} deliveryId={null} />;
    if (path === '/deliveries/settings') return <DeliverySettingsPage me={me} />;
    if (path === '/deliveries/recurring' || path === '/deliveries/recurring/') return <RecurringList me={me} />;
    if (path === '/deliveries/recurring/new') return <RecurringEditor key="new" me={me} recurringId={null} />;
    const r = /^\/deliveries\/recurring\/([0-9A-Z]{26})\/?$/.exec(path);
    if (r) return <RecurringEditor key={r[1]} me={me} recurringId={r[1]} />;
    const m = /^\/deliveries\/([0-9A-Z]{26})(\/edit)?\/?$/.exec(path);
    if (m) return m[2] ? <DeliveryCompose key={`edit${m[1]}`} me={me} deliveryId={m[1]} /> : <DeliveryDetail key={m[1]} me={me} deliveryId={m[1]} />;
  }
  return <NotFound />;
}

function NotFound() {
  return (
    <>
      <PageHeader title="ページが見つかりません" />
      <EmptyState title="お探しのページはありません。">
        <p>
          左のメニューから選ぶか、<Link to="/">ダッシュボード</Link>へ戻ってください。
        </p>
      </EmptyState>
    </>
  );
}

function Forbidden(props: { label: string }) {
  return (
    <>
      <PageHeader title={props.label} />
      <EmptyState title="この機能を使う権限がありません。">
        <p>必要な場合は、管理者に「{props.label}」の権限を付けてもらってください。</p>
      </EmptyState>
    </>
  );
}
