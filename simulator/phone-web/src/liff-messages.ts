/**
 * `liff.sendMessages()` in the overlay (docs/line-simulator.md "LIFF contract"): a LIFF page posts
 * `{type: 'liff.sendMessages', id?, messages}` to the phone, which sends them as the current citizen,
 * as LINE sends them into the chat the LIFF app was opened from. Pure, unit-tested: which messages
 * are accepted and what the control API is asked to send for each.
 */
import type { CitizenMessageBody } from '../../views';

/** LINE's limit for one liff.sendMessages() call. */
export const MAX_LIFF_MESSAGES = 5;
const TEXT_MAX = 5000;
const LOCATION_TEXT_MAX = 100;

export type LiffSendRequest = { ok: true; bodies: CitizenMessageBody[] } | { ok: false; error: string };

/** What the phone answers the page (posted to the frame): the promise of liff.sendMessages() resolves or rejects. */
export type LiffSendAnswer =
  { type: 'liff.sendMessages.result'; id: string; ok: true } | { type: 'liff.sendMessages.result'; id: string; ok: false; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string) => Array.from(s).length;
const inRange = (v: unknown, limit: number): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

/** Every message checked before any is sent (LINE refuses the whole call when one is wrong). */
export function liffMessageBodies(messages: unknown): LiffSendRequest {
  const refuse = (why: string): LiffSendRequest => ({ ok: false, error: `liff.sendMessages: ${why}` });
  if (!Array.isArray(messages) || messages.length === 0) return refuse('messages は1件以上の配列で渡してください');
  if (messages.length > MAX_LIFF_MESSAGES) return refuse(`一度に送れるメッセージは${MAX_LIFF_MESSAGES}件までです（${messages.length}件）`);
  const bodies: CitizenMessageBody[] = [];
  for (const [i, m] of messages.entries()) {
    const at = `messages[${i}]`;
    if (!isObj(m)) return refuse(`${at} がメッセージではありません`);
    switch (m.type) {
      case 'text':
        if (typeof m.text !== 'string' || !m.text.trim() || chars(m.text) > TEXT_MAX) return refuse(`${at}.text は1〜${TEXT_MAX}文字です`);
        bodies.push({ type: 'text', text: m.text });
        break;
      case 'location': {
        const { title, address, latitude, longitude } = m;
        if (typeof title !== 'string' || !title.trim() || chars(title) > LOCATION_TEXT_MAX) return refuse(`${at}.title は1〜${LOCATION_TEXT_MAX}文字です`);
        if (typeof address !== 'string' || !address.trim() || chars(address) > LOCATION_TEXT_MAX)
          return refuse(`${at}.address は1〜${LOCATION_TEXT_MAX}文字です`);
        if (!inRange(latitude, 90)) return refuse(`${at}.latitude は -90〜90 の数値です`);
        if (!inRange(longitude, 180)) return refuse(`${at}.longitude は -180〜180 の数値です`);
        bodies.push({ type: 'location', title, address, latitude, longitude });
        break;
      }
      default:
        return refuse(`${at} の種類 ${JSON.stringify(String(m.type ?? ''))} はシミュレーターでは送れません（text と location のみ）`);
    }
  }
  return { ok: true, bodies };
}

/** The request's id when the page gave one (it then waits for the answer): a short plain string. */
export function requestIdOf(data: { id?: unknown }): string | undefined {
  return typeof data.id === 'string' && /^[\w.-]{1,64}$/.test(data.id) ? data.id : undefined;
}
