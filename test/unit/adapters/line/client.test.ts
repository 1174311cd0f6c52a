import { LINE_TIMEOUT_MS, LineTimeoutError, lineClients, lineTimeoutMs, withLineTimeout } from '../../../../functions/adapters/line/client';

describe('LINE client factory', () => {
  it('keeps one client set per token and makes a new one when the token rotates', async () => {
    let token = 'token-a';
    const clients = lineClients({ channelAccessToken: async () => token, baseURL: 'http://127.0.0.1:1' });
    const first = await clients();
    expect(await clients()).toBe(first);
    token = 'token-b';
    const rotated = await clients();
    expect(rotated).not.toBe(first);
    expect(rotated.api).not.toBe(first.api);
    expect(rotated.insight).not.toBe(first.insight);
  });

  it('gives up on a call that does not answer in time', async () => {
    jest.useFakeTimers();
    try {
      const never = new Promise<string>(() => undefined);
      const waiting = withLineTimeout(never, 250);
      jest.advanceTimersByTime(250);
      await expect(waiting).rejects.toBeInstanceOf(LineTimeoutError);
      await expect(withLineTimeout(Promise.resolve('ok'), 250)).resolves.toBe('ok');
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads one timeout for every LINE call from LINE_SEND_TIMEOUT_MS, ignoring nonsense', () => {
    const saved = process.env.LINE_SEND_TIMEOUT_MS;
    try {
      delete process.env.LINE_SEND_TIMEOUT_MS;
      expect(lineTimeoutMs()).toBe(LINE_TIMEOUT_MS);
      process.env.LINE_SEND_TIMEOUT_MS = '2500';
      expect(lineTimeoutMs()).toBe(2500);
      process.env.LINE_SEND_TIMEOUT_MS = '-1';
      expect(lineTimeoutMs()).toBe(LINE_TIMEOUT_MS);
      process.env.LINE_SEND_TIMEOUT_MS = 'soon';
      expect(lineTimeoutMs()).toBe(LINE_TIMEOUT_MS);
    } finally {
      if (saved === undefined) delete process.env.LINE_SEND_TIMEOUT_MS;
      else process.env.LINE_SEND_TIMEOUT_MS = saved;
    }
  });
});
