/**
 * Live updates from /sim/stream (server-sent events): citizens, deliveries, the citizen's own
 * sends and their 既読, rich menus, resets. EventSource reconnects by itself; after a reconnect
 * `onReconnect` reloads what may have been missed.
 */
import type { StreamEvent } from '../../views';

export function connectStream(onEvent: (e: StreamEvent) => void, onReconnect: () => void): EventSource | undefined {
  if (typeof EventSource === 'undefined') return undefined;
  const es = new EventSource('/sim/stream');
  let opened = false;
  es.addEventListener('open', () => {
    if (opened) onReconnect();
    opened = true;
  });
  es.addEventListener('message', (ev: MessageEvent<string>) => {
    let data: StreamEvent;
    try {
      data = JSON.parse(ev.data) as StreamEvent;
    } catch {
      return;
    }
    if (data && typeof data === 'object' && typeof data.type === 'string') onEvent(data);
  });
  return es;
}
