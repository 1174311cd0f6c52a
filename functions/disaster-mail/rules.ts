/**
 * What the bridge decides about a read alert mail, before anything is sent: is the sender
 * accepted, which route (first match, in the order staff set) takes it, which kind of alert it is
 * (for the standard phrase in the friend's language), and the keys that recognise a duplicate.
 * Pure functions over the staff's settings (functions/disaster-mail/model.ts); the console shows
 * the same order and first match.
 */
import { createHash } from 'node:crypto';
import type { AlertKind, BridgeSettings, Route } from './model';
import type { ParsedMail } from './parse-mail';

/**
 * An accepted-sender entry is an exact address (`bousai@city.arao.example`) or a domain
 * (`city.arao.example` or `@city.arao.example`: that domain only, not its subdomains). Case-insensitive.
 */
export function senderAccepted(from: string, accepted: readonly string[]): string | undefined {
  const address = from.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return accepted.find((entry) => {
    const e = entry.trim().toLowerCase();
    if (e.includes('@') && !e.startsWith('@')) return e === address;
    return e.replace(/^@/, '') === domain;
  });
}

/** Text as rules compare it: NFKC (full/half width alike), lower case, no spaces. */
export function comparable(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Does `route` match the mail: every matcher the route has must hold (a route without matchers matches everything). */
export function routeMatches(route: Route, mail: Pick<ParsedMail, 'from' | 'subject' | 'text'>): boolean {
  if (route.senders?.length && !senderAccepted(mail.from, route.senders)) return false;
  const subject = comparable(mail.subject);
  const body = comparable(mail.text);
  if (route.subjectKeywords?.length && !route.subjectKeywords.some((k) => subject.includes(comparable(k)))) return false;
  if (route.bodyKeywords?.length && !route.bodyKeywords.some((k) => body.includes(comparable(k)))) return false;
  return true;
}

/** The first route that matches, in order; else the default route (null: no route, the mail is only logged). */
export function chooseRoute(settings: Pick<BridgeSettings, 'routes' | 'defaultRoute'>, mail: Pick<ParsedMail, 'from' | 'subject' | 'text'>): Route | null {
  return settings.routes.find((r) => routeMatches(r, mail)) ?? settings.defaultRoute;
}

/**
 * The kinds of alert the bridge recognises, in the order they are tried: a lifted alert first
 * (「避難指示の解除」 is a lifting, not an order), then the higher evacuation level first.
 */
const KIND_WORDS: { kind: AlertKind; words: string[] }[] = [
  { kind: 'lifted', words: ['解除'] },
  { kind: 'emergency_safety', words: ['緊急安全確保', '警戒レベル5'] },
  { kind: 'evacuation_order', words: ['避難指示', '警戒レベル4'] },
  { kind: 'elderly_evacuation', words: ['高齢者等避難', '警戒レベル3'] },
  { kind: 'landslide_alert', words: ['土砂災害警戒情報'] },
  { kind: 'heavy_rain_warning', words: ['大雨特別警報', '大雨警報'] },
];

/** The alert's kind from its subject (else its first lines), or null: an unrecognised mail goes out in Japanese to everyone. */
export function alertKind(mail: Pick<ParsedMail, 'subject' | 'text'>): AlertKind | null {
  const subject = comparable(mail.subject);
  const opening = comparable(mail.text.split('\n').slice(0, 5).join('\n'));
  for (const source of [subject, opening]) {
    for (const { kind, words } of KIND_WORDS) if (words.some((w) => source.includes(comparable(w)))) return kind;
  }
  return null;
}

/**
 * The kinds a 解除 mail lifts: those its subject names (「避難指示の解除」 → evacuation_order), else
 * those its first line names. None when it names none (洪水警報の解除 lifts nothing the bridge
 * knows) and none for a partial lifting (一部解除: the order stands elsewhere).
 */
export function liftedKinds(mail: Pick<ParsedMail, 'subject' | 'text'>): Exclude<AlertKind, 'lifted'>[] {
  const named = (text: string) => {
    const source = comparable(text);
    return KIND_WORDS.filter(({ kind, words }) => kind !== 'lifted' && words.some((w) => source.includes(comparable(w)))).map(
      ({ kind }) => kind as Exclude<AlertKind, 'lifted'>,
    );
  };
  const firstLine = mail.text.split('\n').find((l) => l.trim()) ?? '';
  if ([mail.subject, firstLine].some((t) => comparable(t).includes(comparable('一部解除')))) return [];
  const bySubject = named(mail.subject);
  return bySubject.length > 0 ? bySubject : named(firstLine);
}

/**
 * The keys under which a mail is recognised again: its Message-ID (retries of one mail), and its
 * content — subject and body compared as rules compare text, not the sender — so the same alert
 * from a second system, or resent with a new Message-ID, is sent once within the window.
 */
export function duplicateKeys(mail: Pick<ParsedMail, 'messageId' | 'subject' | 'text'>): { messageId?: string; content: string } {
  const content = createHash('sha256')
    .update(`${comparable(mail.subject)}\n${comparable(mail.text)}`)
    .digest('hex');
  return { ...(mail.messageId ? { messageId: mail.messageId.trim().toLowerCase() } : {}), content };
}
