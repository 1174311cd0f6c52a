/**
 * The chat timeline: the account's messages on the left with its avatar, the citizen's on the
 * right in green (with 既読 once read), day separators and times, as LINE shows them; and the
 * quick reply chips.
 */
import type { Actor } from './actor';
import { clear, h } from '../../../web-shared/dom';
import { renderFlexContainer } from './flex';
import { dayLabel, hhmm, safeUrl, sameDay, stickerFace } from './format';
import { renderImagemap, renderTemplate } from './templates';
import type { LineMessage, QuickReplyItem, TimelineItem } from './line-json';

export const ACCOUNT_NAME = '荒尾市';

const textBubble = (text: string | undefined) => h('div', { class: 'bubble' }, text ?? '');

/** http(s) addresses inside a text, as LINE recognises them (up to whitespace or a full-width character). */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+/g;

/**
 * A text message with its addresses tappable, as in LINE: a LIFF address opens the LIFF view, any
 * other one LINE's browser (a new tab here). Text stays text nodes; links carry the address only.
 */
function linkedTextBubble(text: string | undefined, actor: Actor): HTMLElement {
  const bubble = h('div', { class: 'bubble' });
  const value = text ?? '';
  let at = 0;
  for (const match of value.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    if (match.index! > at) bubble.appendChild(document.createTextNode(value.slice(at, match.index)));
    bubble.appendChild(
      h(
        'a',
        {
          class: 'bubble-link',
          href: url,
          on: {
            click: (e) => {
              e.preventDefault();
              actor.act({ type: 'uri', uri: url });
            },
          },
        },
        url,
      ),
    );
    at = match.index! + url.length;
  }
  if (at < value.length) bubble.appendChild(document.createTextNode(value.slice(at)));
  return bubble;
}

function stickerEl(m: LineMessage): HTMLElement {
  return h(
    'div',
    { class: 'sticker', role: 'img', 'aria-label': 'スタンプ' },
    stickerFace(m.packageId, m.stickerId),
    h('small', {}, `スタンプ ${m.packageId ?? ''}/${m.stickerId ?? ''}`),
  );
}

function locationCard(m: LineMessage): HTMLElement {
  const lat = Number(m.latitude);
  const lng = Number(m.longitude);
  return h(
    'div',
    { class: 'location-card' },
    h('div', { class: 'map' }, '位置情報'),
    h(
      'div',
      { class: 'body' },
      h('div', { class: 't' }, m.title || '位置情報'),
      h('div', { class: 'a' }, m.address ?? ''),
      h('div', { class: 'll' }, `${lat.toFixed(5)}, ${lng.toFixed(5)}`),
    ),
  );
}

function citizenMessage(m: LineMessage): HTMLElement {
  if (m.type === 'image') return h('img', { class: 'media', src: safeUrl(m.contentUrl), alt: '送信した画像' });
  if (m.type === 'location') return locationCard(m);
  if (m.type === 'sticker') return stickerEl(m);
  return textBubble(m.text);
}

function accountMessage(m: LineMessage, actor: Actor): HTMLElement {
  try {
    switch (m.type) {
      case 'text':
        return linkedTextBubble(m.text, actor);
      case 'image':
        return h('img', {
          class: 'media clickable',
          src: safeUrl(m.previewImageUrl),
          alt: '画像',
          on: { click: () => actor.openExternal(m.originalContentUrl) },
        });
      case 'video':
        return h('video', { class: 'media', controls: true, preload: 'none', src: safeUrl(m.originalContentUrl), poster: safeUrl(m.previewImageUrl) });
      case 'audio':
        return h('audio', { controls: true, preload: 'none', src: safeUrl(m.originalContentUrl) });
      case 'location':
        return locationCard(m);
      case 'sticker':
        return stickerEl(m);
      case 'imagemap':
        return renderImagemap(m, actor);
      case 'template':
        return renderTemplate(m.template ?? {}, actor);
      case 'flex':
        return renderFlexContainer(m.contents ?? {}, actor);
      default:
        return textBubble(`[未対応のメッセージ: ${m.type}]`);
    }
  } catch {
    return textBubble(`[表示できないメッセージ] ${m.altText ?? ''}`);
  }
}

function renderItem(item: TimelineItem, actor: Actor): HTMLElement {
  const m = item.message ?? { type: 'text', text: '' };
  const row = h('div', { class: `row ${item.from}`, 'data-message-id': item.id });
  const time = h('time', { class: 'time', dateTime: new Date(item.at).toISOString() }, hhmm(item.at));
  if (item.from === 'account') {
    const sender = m.sender?.name || ACCOUNT_NAME;
    row.append(
      h('div', { class: 'avatar account', 'aria-hidden': 'true' }, '市'),
      h('div', { class: 'col' }, h('div', { class: 'sender' }, sender), accountMessage(m, actor)),
      time,
    );
  } else {
    // LINE shows 既読 above the time, beside the bubble, once the account marked the message read.
    const read = item.read ? h('span', { class: 'read' }, '既読') : null;
    row.append(h('div', { class: 'col' }, citizenMessage(m)), h('div', { class: 'meta' }, read, time));
  }
  return row;
}

/** Replaces the timeline's content; `hint` shows when there is nothing to show. */
export function renderTimeline(box: HTMLElement, items: TimelineItem[], hint: string, actor: Actor): void {
  clear(box);
  if (items.length === 0) {
    box.append(h('div', { class: 'empty' }, hint));
    return;
  }
  let previous: number | undefined;
  for (const item of items) {
    if (previous === undefined || !sameDay(previous, item.at)) box.append(h('div', { class: 'day' }, h('span', {}, dayLabel(item.at))));
    previous = item.at;
    box.append(renderItem(item, actor));
  }
}

/** The chips of the last account message's quick reply (they disappear once one is tapped). */
export function renderQuickReply(container: HTMLElement, items: QuickReplyItem[] | undefined, actor: Actor): void {
  clear(container);
  for (const it of items ?? []) {
    const a = it.action;
    if (!a) continue;
    const label = a.label || (a.type === 'location' ? '位置情報' : a.type === 'camera' ? 'カメラ' : a.type === 'cameraRoll' ? '写真' : 'ボタン');
    const icon = safeUrl(it.imageUrl);
    container.append(
      h(
        'button',
        {
          type: 'button',
          class: 'chip',
          on: {
            click: () => {
              clear(container);
              actor.act(a);
            },
          },
        },
        icon ? h('img', { src: icon, alt: '' }) : null,
        label,
      ),
    );
  }
}
