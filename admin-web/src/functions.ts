import type { FunctionId, Me, Role } from './api/types';

/** The functions of docs/admin-api.md with their Japanese names and console paths, in menu order. */
export const FUNCTIONS: { id: FunctionId; label: string; path: string; comingSoon?: string }[] = [
  { id: 'deliveries', label: '配信', path: '/deliveries' },
  { id: 'surveys', label: 'アンケート', path: '/surveys' },
  { id: 'segments', label: 'セグメント', path: '/segments' },
  { id: 'keywords', label: 'キーワード応答', path: '/keywords', comingSoon: '友だちが送った言葉に合わせて自動で返事をする設定がここに表示されます。' },
  { id: 'scenarios', label: 'シナリオ', path: '/scenarios', comingSoon: '質問と選択肢をつないで案内する「シナリオ」の作成と一覧がここに表示されます。' },
  { id: 'chat', label: '1:1チャット', path: '/chat', comingSoon: '友だち一人ひとりとのメッセージのやりとりがここに表示されます。' },
  { id: 'reports', label: '市民通報', path: '/reports', comingSoon: '道路の損傷などの市民からの通報（写真・位置つき）と、その対応状況がここに表示されます。' },
  { id: 'disasterMail', label: '防災メール連携', path: '/disaster-mail', comingSoon: '防災メールを LINE でも自動で配信する設定と、その履歴がここに表示されます。' },
  { id: 'reservations', label: 'イベント予約', path: '/reservations', comingSoon: 'イベントや講座の予約受付の設定と、予約者の一覧がここに表示されます。' },
  { id: 'staff', label: '職員アカウント', path: '/staff' },
  { id: 'audit', label: '操作履歴', path: '/audit' },
];

export const FUNCTION_LABEL: Record<FunctionId, string> = Object.fromEntries(FUNCTIONS.map((f) => [f.id, f.label])) as Record<FunctionId, string>;

export const ROLE_LABEL: Record<Role, string> = { admin: '管理者', general: '一般' };

/** Administrators may use everything; general accounts only their listed functions. */
export function canUse(me: Me, id: FunctionId): boolean {
  return me.role === 'admin' || me.permissions.includes(id);
}

export const PASSWORD_POLICY = '12文字以上で、英字と数字の両方を含め、ログインIDを含まないものにしてください。よく使われるパスワード（Password1234 など）や、同じ文字・連続した並び（aaaa、1234、qwerty）は使えません。';
