/**
 * An accepted alert mail as the delivery the pipeline sends: a title line, the body without its
 * footer (staff's markers), the city's disaster page and the original sent time, trimmed to LINE's
 * text limit at a sentence boundary; for friends whose LINE language is English, Korean or
 * Chinese, when the kind is recognised, the standard sentence of the phrase table first and the
 * Japanese original after it. An unrecognised kind goes out in Japanese to everyone.
 */
import { LIMITS } from '../deliveries/compose';
import type { DeliveryContent, Variant } from '../deliveries/model';
import { jstDateTime } from '../shared/japan-time';
import { OTHER_LANGS, type AlertKind, type BridgeSettings } from './model';
import type { ParsedMail } from './parse-mail';

/** The body up to (not including) the first line that starts with a footer marker; trailing blank lines dropped. */
export function withoutFooter(text: string, markers: readonly string[]): string {
  const lines = text.split('\n');
  const cut = lines.findIndex((line) => markers.some((m) => m.trim() !== '' && line.trimStart().startsWith(m.trim())));
  return (cut < 0 ? lines : lines.slice(0, cut)).join('\n').replace(/\n+$/, '');
}

const ELLIPSIS = '…（以下省略）';

/**
 * `text` within `max` UTF-16 code units (as LINE counts): cut after the last sentence end (。！？
 * or a line break) that fits, else at the limit, never inside a surrogate pair, and marked.
 */
export function trimAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let cut = -1;
  for (const match of text.slice(0, room).matchAll(/[。！？!?]|\n/g)) cut = match.index + match[0].length;
  if (cut < room / 2) {
    cut = room;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  }
  return `${text.slice(0, cut).replace(/\n+$/, '')}\n${ELLIPSIS}`;
}

/** The Japanese message: title, body without footer, the disaster page, the original sent time. */
export function japaneseAlert(
  mail: Pick<ParsedMail, 'subject' | 'text' | 'sentAt'>,
  settings: Pick<BridgeSettings, 'footerMarkers' | 'disasterPageUrl'>,
  reserve = 0,
): string {
  const tail = [settings.disasterPageUrl ? `詳しくは：${settings.disasterPageUrl}` : '', mail.sentAt ? `（${jstDateTime(mail.sentAt)} 発信）` : '']
    .filter(Boolean)
    .join('\n');
  const title = mail.subject.trim();
  const body = withoutFooter(mail.text, settings.footerMarkers);
  // The parts are joined by blank lines: what is not the body, and its separators.
  const fixed = title.length + (tail ? tail.length + 2 : 0) + (body ? 2 : 0);
  const room = LIMITS.textChars - reserve - fixed;
  return [title, body ? trimAtSentence(body, Math.max(room, 0)) : '', tail].filter(Boolean).join('\n\n');
}

/**
 * The delivery's content: the Japanese variant, and one per other language with the kind's
 * standard sentence first when the kind is recognised. Category 防災.
 */
export function alertContent(
  mail: Pick<ParsedMail, 'subject' | 'text' | 'sentAt'>,
  kind: AlertKind | null,
  settings: Pick<BridgeSettings, 'footerMarkers' | 'disasterPageUrl' | 'phrases'>,
): DeliveryContent {
  const variants: Variant[] = [{ lang: 'ja', bubbles: [{ type: 'text', text: japaneseAlert(mail, settings) }] }];
  if (kind) {
    for (const lang of OTHER_LANGS) {
      const phrase = settings.phrases[kind][lang].trim();
      if (!phrase) continue;
      const japanese = japaneseAlert(mail, settings, phrase.length + 2);
      variants.push({ lang, bubbles: [{ type: 'text', text: `${phrase}\n\n${japanese}` }] });
    }
  }
  return { title: mail.subject.trim() || '防災メール', category: '防災', variants };
}
