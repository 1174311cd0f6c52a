/**
 * The sentences of the deliveries' confirmation dialogs, as parts (the dialog shows the number and
 * the time in bold). `partsText` joins them: what a person reads.
 */
import { formatDateTime, formatDateTimeWithWeekday, number } from '../../format';

export interface TextPart {
  text: string;
  strong?: boolean;
}

export const partsText = (parts: TextPart[]) => parts.map((p) => p.text).join('');

/** 「配信先「全員」の 1,234人 に、2026/12/08 09:00 に送ります。」 / 「… に、今すぐ送ります。」 */
export function sendConfirmParts(p: { audienceLabel: string; recipients: number; at: string | null }): TextPart[] {
  return [
    { text: `配信先「${p.audienceLabel}」の ` },
    { text: `${number.format(p.recipients)}人`, strong: true },
    { text: ' に、' },
    p.at ? { text: formatDateTime(p.at), strong: true } : { text: '今すぐ', strong: true },
    { text: p.at ? ' に送ります。' : '送ります。' },
  ];
}

/**
 * 「作成して開始する」: who will get it, from when, how often. `recipients` null: not counted
 * (it is counted again at each run anyway).
 */
export function recurringStartParts(p: {
  audienceLabel: string;
  everyone: boolean;
  recipients: number | null;
  firstAt: string | null;
  rule: string;
}): TextPart[] {
  const audience = p.everyone ? `配信先「${p.audienceLabel}」（友だち全員）` : `配信先「${p.audienceLabel}」`;
  return [
    { text: `${audience}の ` },
    { text: p.recipients === null ? '友だち' : `いまの対象 ${number.format(p.recipients)}人`, strong: true },
    { text: ' に、' },
    p.firstAt ? { text: `${formatDateTimeWithWeekday(p.firstAt)} から`, strong: true } : { text: '次の予定日時から', strong: true },
    { text: `「${p.rule}」で自動で送り始めます。` },
  ];
}
