/**
 * Local channel values: both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN, or neither. One
 * without the other used to be ignored silently (random values, so every real webhook then failed
 * its signature): now the runtime says which is missing and stops.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConfigurationError, localSecrets } from '../../../local/runtime';

describe('local channel values', () => {
  it.each([
    [{ LINE_CHANNEL_SECRET: 'real-secret' }, 'LINE_CHANNEL_ACCESS_TOKEN'],
    [{ LINE_CHANNEL_ACCESS_TOKEN: 'real-token' }, 'LINE_CHANNEL_SECRET'],
  ])('stop with a message naming the missing one when only one is set (%j)', (env, missing) => {
    expect(() => localSecrets(undefined, env)).toThrow(LocalConfigurationError);
    expect(() => localSecrets(undefined, env)).toThrow(new RegExp(`${missing} がありません`));
  });

  it('keep the platform’s signing key with the data when the channel values come from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civic-secrets-'));
    try {
      const env = { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' };
      const first = localSecrets(dir, env);
      expect(localSecrets(dir, env).signingKey).toBe(first.signingKey);
      expect(JSON.parse(readFileSync(join(dir, 'local-secrets.json'), 'utf8'))).toEqual({ signingKey: first.signingKey });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('take both from the environment', () => {
    expect(localSecrets(undefined, { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_LOGIN_CHANNEL_ID: '1234567890' })).toMatchObject({
      channelSecret: 's',
      channelAccessToken: 't',
      loginChannelId: '1234567890',
    });
  });

  it('generate both (and the signing key) once per data folder when neither is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civic-secrets-'));
    try {
      const first = localSecrets(dir, { LINE_CHANNEL_SECRET: '', LINE_CHANNEL_ACCESS_TOKEN: '' });
      expect(first.channelSecret).toMatch(/^[0-9a-f]{32}$/);
      expect(first.signingKey.length).toBeGreaterThanOrEqual(32);
      expect(localSecrets(dir, {})).toEqual(first);
      expect(JSON.parse(readFileSync(join(dir, 'local-secrets.json'), 'utf8'))).toEqual(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
