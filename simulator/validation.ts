/**
 * Message-object validation with LINE-like error details
 * (`{"message":"The request body has N error(s)","details":[{message, property}]}`).
 */
export interface ErrorDetail {
  message: string;
  property: string;
}

export const LIMITS = {
  messagesPerRequest: 5,
  textLength: 5000,
  templateAltText: 400,
  flexAltText: 1500,
  imagemapAltText: 400,
  flexBubbleBytes: 30 * 1024,
  flexCarouselBytes: 50 * 1024,
  flexCarouselBubbles: 12,
  quickReplyItems: 13,
  postbackData: 300,
  multicastRecipients: 500,
  bulkLinkUsers: 500,
  bodyBytes: 2 * 1024 * 1024,
  richMenuImageBytes: 1024 * 1024,
} as const;

export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'location', 'sticker', 'imagemap', 'template', 'flex'] as const;
const AGGREGATION_UNIT_RE = /^[a-zA-Z0-9_]{1,30}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const charLen = (s: string): number => [...s].length;

/** https only; plain http is accepted for loopback hosts so that the local product works. */
export function isAcceptableMediaUrl(v: unknown): boolean {
  if (!isStr(v) || v.length === 0 || v.length > 2000) return false;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return false;
  }
  if (u.protocol === 'https:') return true;
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

class Collector {
  readonly details: ErrorDetail[] = [];
  add(property: string, message: string): void {
    this.details.push({ message, property });
  }
}

function requireString(c: Collector, o: Obj, key: string, path: string, max?: number, allowEmpty = false): void {
  const v = o[key];
  if (v === undefined || v === null) return c.add(`${path}.${key}`, 'must be specified');
  if (!isStr(v)) return c.add(`${path}.${key}`, 'must be a string');
  if (!allowEmpty && v.length === 0) return c.add(`${path}.${key}`, 'must be specified');
  if (max !== undefined && charLen(v) > max) c.add(`${path}.${key}`, `Length must be between 0 and ${max}`);
}

function requireUrl(c: Collector, o: Obj, key: string, path: string): void {
  if (!isAcceptableMediaUrl(o[key])) c.add(`${path}.${key}`, 'must be non-empty HTTPS URL');
}

const ACTION_TYPES = new Set(['message', 'postback', 'uri', 'datetimepicker', 'camera', 'cameraRoll', 'location', 'richmenuswitch', 'clipboard']);

/** Validates one action object (quick reply, template, imagemap, flex, rich menu). */
export function validateAction(c: { add(p: string, m: string): void }, a: unknown, path: string): void {
  if (!isObj(a)) return c.add(path, 'must be an object');
  const t = a.type;
  if (!isStr(t) || !ACTION_TYPES.has(t)) return c.add(`${path}.type`, 'invalid action type');
  if (a.label !== undefined && (!isStr(a.label) || charLen(a.label) > 40)) c.add(`${path}.label`, 'Length must be between 0 and 40');
  switch (t) {
    case 'message':
      if (!isStr(a.text) || a.text.length === 0) c.add(`${path}.text`, 'must be specified');
      else if (charLen(a.text) > 300) c.add(`${path}.text`, 'Length must be between 0 and 300');
      break;
    case 'postback':
    case 'datetimepicker':
      if (!isStr(a.data)) c.add(`${path}.data`, 'must be specified');
      else if (charLen(a.data) > LIMITS.postbackData) c.add(`${path}.data`, `Length must be between 0 and ${LIMITS.postbackData}`);
      if (t === 'postback' && a.displayText !== undefined && (!isStr(a.displayText) || charLen(a.displayText) > 300)) {
        c.add(`${path}.displayText`, 'Length must be between 0 and 300');
      }
      if (t === 'datetimepicker' && !['date', 'time', 'datetime'].includes(a.mode as string)) {
        c.add(`${path}.mode`, 'must be one of the following values: [date, time, datetime]');
      }
      break;
    case 'uri':
      if (!isStr(a.uri) || !/^(https?:|line:|tel:|mailto:)/.test(a.uri) || a.uri.length > 1000) {
        c.add(`${path}.uri`, 'invalid uri');
      }
      break;
    default:
      break;
  }
}

function validateQuickReply(c: Collector, q: unknown, path: string): void {
  if (!isObj(q)) return c.add(path, 'must be an object');
  const items = q.items;
  if (!Array.isArray(items) || items.length < 1 || items.length > LIMITS.quickReplyItems) {
    return c.add(`${path}.items`, `Size must be between 1 and ${LIMITS.quickReplyItems}`);
  }
  items.forEach((it, i) => {
    const p = `${path}.items[${i}]`;
    if (!isObj(it) || it.type !== 'action') return c.add(`${p}.type`, 'must be action');
    validateAction(c, it.action, `${p}.action`);
  });
}

/** Finds postback actions anywhere inside flex contents and checks their data length. */
function walkFlexActions(c: Collector, node: unknown, path: string, depth = 0): void {
  if (depth > 40) return;
  if (Array.isArray(node)) {
    node.forEach((n, i) => walkFlexActions(c, n, `${path}[${i}]`, depth + 1));
    return;
  }
  if (!isObj(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'action' || k === 'defaultAction') && isObj(v)) validateAction(c, v, `${path}.${k}`);
    else if (typeof v === 'object' && v !== null) walkFlexActions(c, v, `${path}.${k}`, depth + 1);
  }
}

function validateFlexContainer(c: Collector, contents: unknown, path: string): void {
  if (!isObj(contents)) return c.add(path, 'must be specified');
  const bytes = Buffer.byteLength(JSON.stringify(contents));
  if (contents.type === 'bubble') {
    if (bytes > LIMITS.flexBubbleBytes) c.add(path, `The size of the bubble must be ${LIMITS.flexBubbleBytes / 1024}KB or less`);
  } else if (contents.type === 'carousel') {
    const bubbles = contents.contents;
    if (!Array.isArray(bubbles) || bubbles.length < 1 || bubbles.length > LIMITS.flexCarouselBubbles) {
      c.add(`${path}.contents`, `Size must be between 1 and ${LIMITS.flexCarouselBubbles}`);
    } else {
      bubbles.forEach((b, i) => {
        if (!isObj(b) || b.type !== 'bubble') c.add(`${path}.contents[${i}].type`, 'must be bubble');
      });
    }
    if (bytes > LIMITS.flexCarouselBytes) c.add(path, `The size of the carousel must be ${LIMITS.flexCarouselBytes / 1024}KB or less`);
  } else {
    return c.add(`${path}.type`, 'must be one of the following values: [bubble, carousel]');
  }
  walkFlexActions(c, contents, path);
}

function validateTemplate(c: Collector, t: unknown, path: string): void {
  if (!isObj(t)) return c.add(path, 'must be specified');
  const actions = (o: Obj, p: string, min: number, max: number): void => {
    const a = o.actions;
    if (!Array.isArray(a) || a.length < min || a.length > max) return c.add(`${p}.actions`, `Size must be between ${min} and ${max}`);
    a.forEach((x, i) => validateAction(c, x, `${p}.actions[${i}]`));
  };
  switch (t.type) {
    case 'buttons': {
      const hasHeader = t.thumbnailImageUrl !== undefined || t.title !== undefined;
      requireString(c, t, 'text', path, hasHeader ? 60 : 160);
      if (t.title !== undefined) requireString(c, t, 'title', path, 40);
      if (t.thumbnailImageUrl !== undefined) requireUrl(c, t, 'thumbnailImageUrl', path);
      if (t.defaultAction !== undefined) validateAction(c, t.defaultAction, `${path}.defaultAction`);
      actions(t, path, 1, 4);
      break;
    }
    case 'confirm':
      requireString(c, t, 'text', path, 240);
      actions(t, path, 2, 2);
      break;
    case 'carousel':
    case 'image_carousel': {
      const cols = t.columns;
      if (!Array.isArray(cols) || cols.length < 1 || cols.length > 10) return c.add(`${path}.columns`, 'Size must be between 1 and 10');
      cols.forEach((col, i) => {
        const p = `${path}.columns[${i}]`;
        if (!isObj(col)) return c.add(p, 'must be an object');
        if (t.type === 'carousel') {
          requireString(c, col, 'text', p, col.thumbnailImageUrl !== undefined || col.title !== undefined ? 60 : 120);
          if (col.thumbnailImageUrl !== undefined) requireUrl(c, col, 'thumbnailImageUrl', p);
          actions(col, p, 1, 3);
        } else {
          requireUrl(c, col, 'imageUrl', p);
          validateAction(c, col.action, `${p}.action`);
        }
      });
      break;
    }
    default:
      c.add(`${path}.type`, 'must be one of the following values: [buttons, confirm, carousel, image_carousel]');
  }
}

function validateMessage(c: Collector, m: unknown, path: string): void {
  if (!isObj(m)) return c.add(path, 'must be an object');
  const type = m.type;
  if (!isStr(type) || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    return c.add(`${path}.type`, `must be one of the following values: [${MESSAGE_TYPES.join(', ')}]`);
  }
  switch (type) {
    case 'text':
      requireString(c, m, 'text', path, LIMITS.textLength);
      break;
    case 'image':
    case 'video':
      requireUrl(c, m, 'originalContentUrl', path);
      requireUrl(c, m, 'previewImageUrl', path);
      break;
    case 'audio':
      requireUrl(c, m, 'originalContentUrl', path);
      if (!isNum(m.duration) || m.duration < 0) c.add(`${path}.duration`, 'must be specified');
      break;
    case 'location':
      requireString(c, m, 'title', path, 100);
      requireString(c, m, 'address', path, 100);
      if (!isNum(m.latitude) || m.latitude < -90 || m.latitude > 90) c.add(`${path}.latitude`, 'must be a number between -90 and 90');
      if (!isNum(m.longitude) || m.longitude < -180 || m.longitude > 180) c.add(`${path}.longitude`, 'must be a number between -180 and 180');
      break;
    case 'sticker':
      if (!(isStr(m.packageId) || isNum(m.packageId))) c.add(`${path}.packageId`, 'must be specified');
      if (!(isStr(m.stickerId) || isNum(m.stickerId))) c.add(`${path}.stickerId`, 'must be specified');
      break;
    case 'imagemap': {
      if (!isAcceptableMediaUrl(m.baseUrl)) c.add(`${path}.baseUrl`, 'must be non-empty HTTPS URL');
      requireString(c, m, 'altText', path, LIMITS.imagemapAltText);
      const bs = m.baseSize;
      if (!isObj(bs) || !isNum(bs.width) || !isNum(bs.height)) c.add(`${path}.baseSize`, 'must be specified');
      if (!Array.isArray(m.actions) || m.actions.length > 50) c.add(`${path}.actions`, 'Size must be between 0 and 50');
      break;
    }
    case 'template':
      requireString(c, m, 'altText', path, LIMITS.templateAltText);
      validateTemplate(c, m.template, `${path}.template`);
      break;
    case 'flex':
      requireString(c, m, 'altText', path, LIMITS.flexAltText);
      validateFlexContainer(c, m.contents, `${path}.contents`);
      break;
  }
  if (m.quickReply !== undefined) validateQuickReply(c, m.quickReply, `${path}.quickReply`);
  if (m.sender !== undefined) {
    if (!isObj(m.sender)) c.add(`${path}.sender`, 'must be an object');
    else {
      if (m.sender.name !== undefined && (!isStr(m.sender.name) || charLen(m.sender.name) > 20))
        c.add(`${path}.sender.name`, 'Length must be between 1 and 20');
      if (m.sender.iconUrl !== undefined && !isAcceptableMediaUrl(m.sender.iconUrl)) c.add(`${path}.sender.iconUrl`, 'must be non-empty HTTPS URL');
    }
  }
}

export function validateMessages(c: Collector, messages: unknown, path = 'messages'): void {
  if (messages === undefined || messages === null) return c.add(path, 'must be specified');
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > LIMITS.messagesPerRequest) {
    return c.add(path, `Size must be between 1 and ${LIMITS.messagesPerRequest}`);
  }
  messages.forEach((m, i) => validateMessage(c, m, `${path}[${i}]`));
}

function validateAggregationUnits(c: Collector, units: unknown): void {
  if (units === undefined) return;
  if (!Array.isArray(units) || units.length > 1) return c.add('customAggregationUnits', 'Size must be between 0 and 1');
  units.forEach((u, i) => {
    if (!isStr(u) || !AGGREGATION_UNIT_RE.test(u)) {
      c.add(`customAggregationUnits[${i}]`, 'must match "^[a-zA-Z0-9_]{1,30}$"');
    }
  });
}

function validateNotificationDisabled(c: Collector, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') c.add('notificationDisabled', 'must be a boolean');
}

export type ValidationResult = { ok: true } | { ok: false; body: { message: string; details: ErrorDetail[] } };

function result(c: Collector): ValidationResult {
  if (c.details.length === 0) return { ok: true };
  return { ok: false, body: { message: `The request body has ${c.details.length} error(s)`, details: c.details } };
}

export type SendKind = 'reply' | 'push' | 'multicast' | 'broadcast';

/** Validates a reply/push/multicast/broadcast request body. */
export function validateSendRequest(kind: SendKind, body: unknown): ValidationResult {
  const c = new Collector();
  if (!isObj(body)) {
    c.add('', 'The request body must be a JSON object');
    return result(c);
  }
  if (kind === 'reply') {
    if (!isStr(body.replyToken) || body.replyToken.length === 0) c.add('replyToken', 'must be specified');
  } else if (kind === 'push') {
    if (!isStr(body.to) || body.to.length === 0) c.add('to', 'must be specified');
  } else if (kind === 'multicast') {
    const to = body.to;
    if (!Array.isArray(to) || to.length < 1 || to.length > LIMITS.multicastRecipients) {
      c.add('to', `Size must be between 1 and ${LIMITS.multicastRecipients}`);
    } else if (!to.every(isStr)) {
      c.add('to', 'must be an array of strings');
    }
  }
  validateMessages(c, body.messages);
  validateNotificationDisabled(c, body.notificationDisabled);
  if (kind === 'push' || kind === 'multicast') validateAggregationUnits(c, body.customAggregationUnits);
  return result(c);
}

/** Validates a rich menu object (POST /v2/bot/richmenu). */
export function validateRichMenu(body: unknown): ValidationResult {
  const c = new Collector();
  if (!isObj(body)) {
    c.add('', 'The request body must be a JSON object');
    return result(c);
  }
  const size = body.size;
  if (!isObj(size) || size.width !== 2500 || (size.height !== 1686 && size.height !== 843)) {
    c.add('size', 'must be {width: 2500, height: 1686} or {width: 2500, height: 843}');
  }
  if (typeof body.selected !== 'boolean') c.add('selected', 'must be specified');
  requireString(c, body, 'name', '', 300);
  requireString(c, body, 'chatBarText', '', 14);
  const areas = body.areas;
  if (!Array.isArray(areas) || areas.length > 20) {
    c.add('areas', 'Size must be between 0 and 20');
  } else {
    const w = isObj(size) && isNum(size.width) ? size.width : 2500;
    const h = isObj(size) && isNum(size.height) ? size.height : 1686;
    areas.forEach((a, i) => {
      const p = `areas[${i}]`;
      if (!isObj(a)) return c.add(p, 'must be an object');
      const b = a.bounds;
      if (!isObj(b) || ![b.x, b.y, b.width, b.height].every(isNum)) return c.add(`${p}.bounds`, 'must be specified');
      const [x, y, bw, bh] = [b.x, b.y, b.width, b.height] as number[];
      if (x! < 0 || y! < 0 || bw! <= 0 || bh! <= 0 || x! + bw! > w || y! + bh! > h) c.add(`${p}.bounds`, 'must be within the rich menu size');
      validateAction(c, a.action, `${p}.action`);
    });
  }
  // requireString with '' path prefixes a dot; normalise.
  for (const d of c.details) if (d.property.startsWith('.')) d.property = d.property.slice(1);
  return result(c);
}

export { AGGREGATION_UNIT_RE };
