/**
 * liff.sendMessages() in the LINE simulator's overlay, where the LIFF SDK is not loaded: the page
 * asks the phone (its parent frame) with `{type: 'liff.sendMessages', id, messages}`; the phone
 * sends them as the citizen and answers `{type: 'liff.sendMessages.result', id, ok, error?}`
 * (docs/line-simulator.md "LIFF contract"). The promise settles as the SDK's would in LINE.
 */
export interface FrameWindow {
  parent: { postMessage(message: unknown, targetOrigin: string): void } | null;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

export class SimulatorSendError extends Error {
  constructor(
    readonly code: 'no_simulator' | 'timeout' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorSendError';
  }
}

let seq = 0;

export function simulatorSendMessages(messages: readonly unknown[], win: FrameWindow = window, timeoutMs = 20_000): Promise<void> {
  const parent = win.parent;
  if (!parent || (parent as unknown) === win) return Promise.reject(new SimulatorSendError('no_simulator', 'not inside the LINE simulator'));
  const id = `send-${Date.now().toString(36)}-${++seq}`;
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
    };
    const onMessage = (e: MessageEvent) => {
      const data = e.data as { type?: unknown; id?: unknown; ok?: unknown; error?: unknown } | null;
      if (e.source !== parent || data?.type !== 'liff.sendMessages.result' || data.id !== id) return;
      done();
      if (data.ok === true) resolve();
      else reject(new SimulatorSendError('refused', typeof data.error === 'string' ? data.error : 'refused'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new SimulatorSendError('timeout', 'no answer from the LINE simulator'));
    }, timeoutMs);
    win.addEventListener('message', onMessage);
    parent.postMessage({ type: 'liff.sendMessages', id, messages }, '*');
  });
}
