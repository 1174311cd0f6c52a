/** Names of the chat's fixed values, shared by the console and the server (dependency-free). */
import type { ChatVia, OfficeHours } from './model';

export const INBOX_VIEWS = ['unread', 'mine', 'open', 'closed'] as const;
export type InboxViewName = (typeof INBOX_VIEWS)[number];

export const INBOX_VIEW_LABELS: Record<InboxViewName, string> = { unread: '未読', mine: '自分の担当', open: '対応中（すべて）', closed: '終了' };

export const CHAT_VIA_LABELS: Record<ChatVia, string> = {
  postback: 'メニュー・ボタンから',
  keyword: 'キーワードから',
  scenario: 'シナリオから',
  staff: '職員が再開',
};

export const WEEKDAY_LABELS = ['日', '月', '火', '水', '木', '金', '土'] as const;

const clock = (hhmm: string) => hhmm.replace(/^0/, '');
const md = (mmdd: string) => mmdd.replace(/^0?(\d+)-0?(\d+)$/, '$1/$2');

/** Office hours in a line: 「月・火・水・木・金 8:30〜17:15（祝日・年末年始 12/29〜1/3 は休み）」. */
export function officeHoursText(h: OfficeHours): string {
  if (!h.enabled) return '受付時間を設けない（いつでも職員が対応）';
  const days = [1, 2, 3, 4, 5, 6, 0]
    .filter((d) => h.days.includes(d))
    .map((d) => WEEKDAY_LABELS[d])
    .join('・');
  const closed = [
    h.holidays ? '祝日' : '',
    h.yearEnd ? `年末年始 ${md(h.yearEnd.from)}〜${md(h.yearEnd.to)}` : '',
    h.closedDates.length ? `ほか${h.closedDates.length}日` : '',
  ]
    .filter(Boolean)
    .join('・');
  return `${days} ${clock(h.from)}〜${clock(h.to)}${closed ? `（${closed}は休み）` : ''}`;
}
