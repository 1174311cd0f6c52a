/**
 * Composition: a delivery's content (variants of 1..5 bubbles) → LINE message objects. Pure: the
 * caller supplies the public URLs of images and of the click redirect. LINE's limits are enforced
 * here (the staff API checks every variant with this function before saving), so a delivery that
 * passed the check cannot be refused by LINE for its shape.
 */
import { startPostback } from '../scenarios/model';
import type { messagingApi } from '@line/bot-sdk';
import { LANGUAGE_LABELS, toLang } from '../shared/languages';
import { ValidationError } from '../shared/errors';
import { withinGraphemes } from '../shared/text';
import type { Bubble, CardTemplate, Delivery, DeliveryContent, Lang, Variant } from './model';
import type { LineMessage } from '../ports/line-gateway';
import { isEveryone } from './segment';

type FlexBubble = messagingApi.FlexBubble;
type FlexComponent = messagingApi.FlexComponent;
type FlexBox = messagingApi.FlexBox;

export interface ComposeContext {
  /** Public URL LINE fetches the image from (CloudFront in AWS, the local server locally). */
  mediaUrl(mediaId: string, kind: 'original' | 'preview'): string;
  /**
   * What link `linkIndex` (whose URL is `url`) points to in the message: the click redirect
   * (`/r/<deliveryId>/<linkIndex>`), or a LIFF address as it is (functions/deliveries/links.ts).
   */
  linkUrl(linkIndex: number, url: string): string;
}

/** LINE limits (developers.line.biz, Messaging API reference; LINE-FACTS.md). */
export const LIMITS = {
  messagesPerRequest: 5,
  /** Counted in UTF-16 code units, as LINE counts them. */
  textChars: 5000,
  altTextChars: 400,
  /** "30 KB" per bubble; read conservatively as 30,000 bytes of UTF-8 JSON. */
  flexBubbleBytes: 30_000,
  /** Action labels are counted in grapheme clusters. */
  actionLabelChars: 20,
  uriChars: 1000,
} as const;

/** Default delivery categories offered by the console (staff may type others). */
export const CATEGORIES = ['防災', '新型コロナ・健康', '子育て', 'イベント', '市政', '観光', 'その他'] as const;

export const NAME_PLACEHOLDER = '{name}';

/**
 * What `{name}` becomes when the friend's display name is unknown or blank. Chosen to read
 * naturally in the usual patterns: "{name}さん" → "皆さん", "Hello {name}" → "Hello friend".
 */
export const NAME_FALLBACK: Record<Lang, string> = { ja: '皆', en: 'friend', ko: '시민', 'zh-Hans': '市民', 'zh-Hant': '市民' };

// ---- links ---------------------------------------------------------------------------------

/**
 * http(s) URLs inside free text. Japanese characters and full-width punctuation end a URL
 * ("https://example.jpをご覧ください" → "https://example.jp").
 */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`{}|\\^\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

/** A URL found in text without the sentence punctuation glued to its end. */
function trimUrl(raw: string): string {
  let url = raw.replace(TRAILING_PUNCTUATION, '');
  // A closing parenthesis belongs to the URL only when it opened one ("(https://x.jp/a)" vs wiki links).
  while (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) {
    url = url.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  }
  return url;
}

export function urlsInText(text: string): string[] {
  return [...text.matchAll(URL_IN_TEXT)].map((m) => trimUrl(m[0]));
}

function urlsOfBubble(bubble: Bubble): string[] {
  switch (bubble.type) {
    case 'text':
      return urlsInText(bubble.text);
    case 'image':
      return [];
    case 'card':
      return [...urlsInText(bubble.body), ...(bubble.button ? [bubble.button.url] : [])];
    case 'link':
      return [...urlsInText(bubble.text), bubble.url];
    case 'scenario':
      return urlsInText(bubble.text);
  }
}

/**
 * Every distinct URL of the content (variants in order, bubbles in order, text before button).
 * The position in this list is the link's `linkIndex` in the click redirect.
 */
export function collectLinks(content: Pick<DeliveryContent, 'variants'>): string[] {
  const seen = new Set<string>();
  for (const variant of content.variants) {
    for (const bubble of variant.bubbles) for (const url of urlsOfBubble(bubble)) seen.add(url);
  }
  return [...seen];
}

// ---- variants and names --------------------------------------------------------------------

/** The variant in the friend's LINE language (mapped to the five supported ones), else Japanese. */
export function pickVariant(content: Pick<DeliveryContent, 'variants'>, friendLanguage?: string): Variant {
  const lang = toLang(friendLanguage);
  const found = content.variants.find((v) => v.lang === lang) ?? content.variants.find((v) => v.lang === 'ja') ?? content.variants[0];
  if (!found) throw new ValidationError('配信内容がありません。');
  return found;
}

function textsOfBubble(bubble: Bubble): string[] {
  switch (bubble.type) {
    case 'text':
      return [bubble.text];
    case 'image':
      return [];
    case 'card':
      return [bubble.title, bubble.body, bubble.when ?? '', bubble.where ?? ''];
    case 'link':
    case 'scenario':
      return [bubble.text];
  }
}

/** True when any text names the friend: such a delivery is sent by push, one request per friend. */
export function needsFriendName(content: Pick<DeliveryContent, 'variants'>): boolean {
  return content.variants.some((v) => v.bubbles.some((b) => textsOfBubble(b).some((t) => t.includes(NAME_PLACEHOLDER))));
}

// ---- messages ------------------------------------------------------------------------------

interface Writer {
  lang: Lang;
  links: string[];
  ctx: ComposeContext;
  name: string;
  /** 1-based bubble number, for messages to staff. */
  position: number;
}

/**
 * The LINE messages of one variant for one friend (or for everyone when the content has no
 * `{name}`). URLs point to the click redirect. Throws ValidationError (Japanese) when a limit
 * of LINE would be exceeded.
 */
export function toLineMessages(variant: Variant, links: string[], ctx: ComposeContext, friendName?: string): LineMessage[] {
  const where = languagePrefix(variant.lang);
  if (variant.bubbles.length === 0) throw new ValidationError(`${where}吹き出しを1つ以上入れてください。`);
  if (variant.bubbles.length > LIMITS.messagesPerRequest) {
    throw new ValidationError(`${where}吹き出しは${LIMITS.messagesPerRequest}個までです。`);
  }
  const name = friendName?.trim() ? friendName.trim() : NAME_FALLBACK[variant.lang];
  return variant.bubbles.map((bubble, i) => toMessage(bubble, { lang: variant.lang, links, ctx, name, position: i + 1 }));
}

function toMessage(bubble: Bubble, w: Writer): LineMessage {
  switch (bubble.type) {
    case 'text':
      return textMessage(bubble.text, w);
    case 'image':
      return {
        type: 'image',
        originalContentUrl: checkedUri(w.ctx.mediaUrl(bubble.mediaId, 'original'), w),
        previewImageUrl: checkedUri(w.ctx.mediaUrl(bubble.mediaId, 'preview'), w),
      };
    case 'card':
      return flexMessage(cardBubble(bubble, w), fill(bubble.title, w), w);
    case 'link':
      return flexMessage(linkBubble(bubble, w), fill(bubble.text, w), w);
    case 'scenario':
      return flexMessage(scenarioBubble(bubble, w), fill(bubble.text, w), w);
  }
}

function textMessage(template: string, w: Writer): LineMessage {
  const text = fill(template, w);
  if (text.trim().length === 0) throw new ValidationError(`${bubbleRef(w)}テキストを入力してください。`);
  if (text.length > LIMITS.textChars) {
    throw new ValidationError(
      `${bubbleRef(w)}テキストは${LIMITS.textChars.toLocaleString('ja-JP')}文字以内にしてください（リンクと名前を差し込んだ後で${text.length.toLocaleString('ja-JP')}文字）。`,
    );
  }
  return { type: 'text', text };
}

function flexMessage(contents: FlexBubble, alt: string, w: Writer): LineMessage {
  const bytes = Buffer.byteLength(JSON.stringify(contents), 'utf8');
  if (bytes > LIMITS.flexBubbleBytes) {
    throw new ValidationError(`${bubbleRef(w)}カードの内容が大きすぎます（LINEの上限30KBを超えています）。本文を短くしてください。`);
  }
  return { type: 'flex', altText: altText(alt), contents };
}

/** Notification text on the lock screen and chat list: ≤ 400 characters, never empty. */
export function altText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'お知らせ';
  return oneLine.length <= LIMITS.altTextChars ? oneLine : `${oneLine.slice(0, LIMITS.altTextChars - 1)}…`;
}

/**
 * URLs first (on the staff's template, so a display name that looks like a URL is never
 * rewritten), then the friend's name.
 */
function fill(template: string, w: Writer): string {
  return rewriteUrls(template, w).split(NAME_PLACEHOLDER).join(w.name);
}

function rewriteUrls(text: string, w: Writer): string {
  return text.replace(URL_IN_TEXT, (raw) => {
    const url = trimUrl(raw);
    return redirectOf(url, w) + raw.slice(url.length);
  });
}

/** The click redirect of a URL; a URL missing from `links` is left as it is (not counted). */
function redirectOf(url: string, w: Writer): string {
  const index = w.links.indexOf(url);
  return index < 0 ? url : w.ctx.linkUrl(index, url);
}

function checkedUri(uri: string, w: Writer): string {
  if (uri.length > LIMITS.uriChars) throw new ValidationError(`${bubbleRef(w)}URLが長すぎます（${LIMITS.uriChars}文字まで）。`);
  return uri;
}

function uriButton(label: string, url: string, color: string, w: Writer): FlexComponent {
  const shown = label.trim();
  if (!shown) throw new ValidationError(`${bubbleRef(w)}ボタンの文言を入力してください。`);
  if (!withinGraphemes(shown, LIMITS.actionLabelChars)) {
    throw new ValidationError(`${bubbleRef(w)}ボタンの文言は${LIMITS.actionLabelChars}文字以内にしてください。`);
  }
  return { type: 'button', style: 'primary', color, height: 'sm', action: { type: 'uri', label: shown, uri: checkedUri(redirectOf(url, w), w) } };
}

// ---- card templates --------------------------------------------------------------------------

const TEMPLATE_COLORS: Record<CardTemplate, string> = { notice: '#1565C0', event: '#2E7D32', emergency: '#C62828' };

const CARD_WORDS: Record<Lang, { when: string; where: string; emergency: string }> = {
  ja: { when: '日時', where: '場所', emergency: '緊急' },
  en: { when: 'When', where: 'Where', emergency: 'Emergency' },
  ko: { when: '일시', where: '장소', emergency: '긴급' },
  'zh-Hans': { when: '时间', where: '地点', emergency: '紧急' },
  'zh-Hant': { when: '時間', where: '地點', emergency: '緊急' },
};

type CardBubble = Extract<Bubble, { type: 'card' }>;
type LinkBubble = Extract<Bubble, { type: 'link' }>;

/** notice: blue header; event: green header with when/where rows; emergency: red header, bold. */
function cardBubble(card: CardBubble, w: Writer): FlexBubble {
  const color = TEMPLATE_COLORS[card.template];
  const emergency = card.template === 'emergency';
  const headerContents: FlexComponent[] = [];
  if (emergency) headerContents.push({ type: 'text', text: CARD_WORDS[w.lang].emergency, color: '#FFFFFF', size: 'xs', weight: 'bold' });
  headerContents.push({ type: 'text', text: fill(card.title, w), color: '#FFFFFF', weight: 'bold', size: 'lg', wrap: true });

  const body: FlexComponent[] = [
    { type: 'text', text: fill(card.body, w), wrap: true, size: 'md', weight: emergency ? 'bold' : 'regular', color: emergency ? '#B71C1C' : '#333333' },
  ];
  if (card.template === 'event') {
    const rows = eventRows(card, w);
    if (rows.length > 0) body.push({ type: 'box', layout: 'vertical', spacing: 'sm', margin: 'lg', contents: rows });
  }

  const bubble: FlexBubble = {
    type: 'bubble',
    header: { type: 'box', layout: 'vertical', backgroundColor: color, paddingAll: 'lg', spacing: 'xs', contents: headerContents },
    body: { type: 'box', layout: 'vertical', spacing: 'md', contents: body },
  };
  if (card.mediaId) {
    bubble.hero = { type: 'image', url: checkedUri(w.ctx.mediaUrl(card.mediaId, 'original'), w), size: 'full', aspectRatio: '20:13', aspectMode: 'cover' };
  }
  if (card.button) bubble.footer = footer(uriButton(card.button.label, card.button.url, color, w));
  return bubble;
}

function eventRows(card: CardBubble, w: Writer): FlexComponent[] {
  const words = CARD_WORDS[w.lang];
  const rows: FlexComponent[] = [];
  for (const [label, value] of [
    [words.when, card.when],
    [words.where, card.where],
  ] as const) {
    if (!value?.trim()) continue;
    const row: FlexBox = {
      type: 'box',
      layout: 'baseline',
      spacing: 'sm',
      contents: [
        { type: 'text', text: label, color: '#888888', size: 'sm', flex: 1 },
        { type: 'text', text: fill(value, w), wrap: true, size: 'sm', color: '#333333', flex: 4 },
      ],
    };
    rows.push(row);
  }
  return rows;
}

function linkBubble(link: LinkBubble, w: Writer): FlexBubble {
  return {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: fill(link.text, w), wrap: true, size: 'md', color: '#333333' }] },
    footer: footer(uriButton(link.label, link.url, TEMPLATE_COLORS.notice, w)),
  };
}

/** A text and a button that starts a scenario: a postback, so the friend's tap shows as their message (the label). */
function scenarioBubble(bubble: Extract<Bubble, { type: 'scenario' }>, w: Writer): FlexBubble {
  // As typed (≤ 20 graphemes by the schema): the friend's tap shows exactly this as their message.
  const label = bubble.label.trim();
  return {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: fill(bubble.text, w), wrap: true, size: 'md', color: '#333333' }] },
    footer: footer({
      type: 'button',
      style: 'primary',
      color: TEMPLATE_COLORS.notice,
      height: 'sm',
      action: { type: 'postback', label, data: startPostback(bubble.scenarioId), displayText: label },
    }),
  };
}

function footer(button: FlexComponent): FlexBox {
  return { type: 'box', layout: 'vertical', contents: [button] };
}

// ---- messages to staff -----------------------------------------------------------------------

function languagePrefix(lang: Lang): string {
  return `${LANGUAGE_LABELS[lang] ?? lang}版: `;
}

function bubbleRef(w: Writer): string {
  return `${languagePrefix(w.lang)}${w.position}番目の吹き出し: `;
}

/**
 * LINE's broadcast is one request for every friend who has not blocked the account (so blocked
 * friends are never reached), delivered by LINE asynchronously: the fastest path when everyone
 * gets the same message — no conditions, one language variant, no friend's name in the text.
 */
export function isBroadcast(delivery: Pick<Delivery, 'audience' | 'variants'>): boolean {
  return isEveryone(delivery.audience) && delivery.variants.length === 1 && !needsFriendName(delivery);
}
