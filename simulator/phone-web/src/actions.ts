/**
 * LINE actions, as the LINE app performs them when a citizen taps a button, a quick reply chip,
 * an imagemap or rich menu area: message, postback, uri (LIFF in the overlay, else a new tab),
 * datetimepicker, location, camera / cameraRoll, richmenuswitch, clipboard.
 */
import type { Actor } from './actor';
import { pickImage, sendLocation, sendMessage } from './chat';
import { askDatetime, datetimeParam } from './dialogs';
import { isExternalUrl } from './format';
import { openLiff } from './liff';
import { resolveLiff } from './liff-url';
import { state } from './state';
import { setStatus } from './status';
import type { Action } from './line-json';

export function openExternal(uri: string | undefined): void {
  if (!isExternalUrl(uri)) {
    setStatus(`開けないURL: ${uri ?? ''}`, true);
    return;
  }
  window.open(uri, '_blank', 'noopener');
}

export function openUri(uri: string | undefined): void {
  if (typeof uri !== 'string') return;
  const liff = resolveLiff(uri, state.config.liffApps ?? {});
  if (liff) {
    void openLiff(liff);
    return;
  }
  if (/^tel:/i.test(uri)) {
    setStatus(`電話: ${uri.slice(4)}`);
    return;
  }
  openExternal(uri);
}

async function datetime(a: Action): Promise<void> {
  const value = await askDatetime(a);
  if (value === undefined) return;
  await sendMessage({ type: 'postback', data: a.data ?? '', params: { [datetimeParam(a.mode)]: value } });
}

export function doAction(a: Action | undefined): void {
  if (!a || !state.current) return;
  switch (a.type) {
    case 'message':
      void sendMessage({ type: 'text', text: a.text ?? '' });
      break;
    case 'postback': {
      const displayText = a.displayText ?? a.text;
      void sendMessage({ type: 'postback', data: a.data ?? '', ...(displayText ? { displayText } : {}) });
      break;
    }
    case 'uri':
      openUri(a.uri);
      break;
    case 'datetimepicker':
      void datetime(a);
      break;
    case 'location':
      void sendLocation();
      break;
    case 'camera':
      pickImage(true);
      break;
    case 'cameraRoll':
      pickImage(false);
      break;
    case 'richmenuswitch':
      void sendMessage({ type: 'postback', data: a.data ?? '', params: { newRichMenuAliasId: a.richMenuAliasId ?? '', status: 'SUCCESS' } });
      break;
    case 'clipboard':
      navigator.clipboard?.writeText(a.clipboardText ?? '').catch(() => undefined);
      setStatus('クリップボードにコピーしました');
      break;
    default:
      setStatus(`未対応のアクション: ${a.type}`, true);
  }
}

export const actor: Actor = { act: doAction, openExternal };
