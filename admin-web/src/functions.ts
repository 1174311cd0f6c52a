import type { FunctionId, Me, Role } from './api/types';
import { FUNCTION_LABELS, ROLE_LABELS } from '../../functions/staff/staff';

/** The functions of docs/admin-api.md with their Japanese names (the server's table) and console paths, in menu order. */
export const FUNCTIONS: { id: FunctionId; label: string; path: string; comingSoon?: string }[] = [
  { id: 'deliveries', label: FUNCTION_LABELS.deliveries, path: '/deliveries' },
  { id: 'surveys', label: FUNCTION_LABELS.surveys, path: '/surveys' },
  { id: 'segments', label: FUNCTION_LABELS.segments, path: '/segments' },
  { id: 'friends', label: FUNCTION_LABELS.friends, path: '/friends' },
  { id: 'keywords', label: FUNCTION_LABELS.keywords, path: '/keywords' },
  { id: 'richMenus', label: FUNCTION_LABELS.richMenus, path: '/richmenus' },
  { id: 'scenarios', label: FUNCTION_LABELS.scenarios, path: '/scenarios' },
  { id: 'chat', label: FUNCTION_LABELS.chat, path: '/chat' },
  { id: 'reports', label: FUNCTION_LABELS.reports, path: '/reports' },
  { id: 'disasterMail', label: FUNCTION_LABELS.disasterMail, path: '/disaster-mail' },
  {
    id: 'reservations',
    label: FUNCTION_LABELS.reservations,
    path: '/reservations',
    comingSoon: 'イベントや講座の予約受付の設定と、予約者の一覧がここに表示されます。',
  },
  { id: 'staff', label: FUNCTION_LABELS.staff, path: '/staff' },
  { id: 'audit', label: FUNCTION_LABELS.audit, path: '/audit' },
];

export const FUNCTION_LABEL: Record<FunctionId, string> = FUNCTION_LABELS;

export const ROLE_LABEL: Record<Role, string> = ROLE_LABELS;

/** Administrators may use everything; general accounts only their listed functions. */
export function canUse(me: Me, id: FunctionId): boolean {
  return me.role === 'admin' || me.permissions.includes(id);
}

export const PASSWORD_POLICY =
  '12文字以上で、英字と数字の両方を含め、ログインIDを含まないものにしてください。よく使われるパスワード（Password1234 など）や、同じ文字・連続した並び（aaaa、1234、qwerty）は使えません。';
