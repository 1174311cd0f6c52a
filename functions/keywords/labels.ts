/**
 * Words staff read for keyword auto-replies — shared by the console (it imports this file as it is),
 * the CSV and the audit log. Dependency-free on purpose.
 */
import type { MatchKind } from './model';

export const MATCH_KIND_LABELS = { exact: '完全一致', contains: '部分一致', regex: '正規表現' } as const satisfies Record<MatchKind, string>;

/** What each kind does, in one line (the editor's hint). */
export const MATCH_KIND_HINTS = {
  exact: 'メッセージ全体がキーワードと同じとき（表記のゆれ・記号・空白はそろえて比べます）',
  contains: 'メッセージのどこかにキーワードが入っているとき（表記のゆれ・記号・空白はそろえて比べます）',
  regex: 'メッセージ（原文か、表記のゆれをそろえた文）が正規表現に当てはまるとき',
} as const satisfies Record<MatchKind, string>;

export const ENABLED_LABELS = { true: '有効', false: '停止' } as const;

/** The CSV's columns, in order (export and import). */
export const KEYWORD_CSV_COLUMNS = [
  'ルール名',
  '一致のしかた',
  'キーワード（1行に1つ）',
  '優先度',
  '状態',
  '開始日時',
  '終了日時',
  '返信1',
  '返信2',
  '返信3',
  '返信4',
  '返信5',
  '返信（JSON：画像・カード・ボタン・外国語を含むとき）',
  'ルールID',
  '職員につなぐ',
] as const;

/** The CSV's 職員につなぐ cell of a rule with `handoff` (empty otherwise). */
export const HANDOFF_LABEL = 'つなぐ';
