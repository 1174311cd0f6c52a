import type { z } from 'zod';
import type { changePasswordBody, loginBody, totpCodeBody } from '../../../functions/admin/schemas';
import type { TotpSetup } from '../../../functions/admin/views';
import { request, setCsrfToken } from './client';
import type { SessionAnswer } from './types';

/** POST /auth/login; errors: invalid_credentials (401), totp_required (401), locked (423). */
export async function login(loginId: string, password: string, totp?: string): Promise<SessionAnswer> {
  const session = await request<SessionAnswer>('POST', '/auth/login', {
    body: (totp ? { loginId, password, totp } : { loginId, password }) satisfies z.input<typeof loginBody>,
    ignore401: true,
  });
  setCsrfToken(session.csrfToken);
  return session;
}

/** GET /auth/me: the current session, or null when signed out. */
export async function currentSession(): Promise<SessionAnswer | null> {
  try {
    const session = await request<SessionAnswer>('GET', '/auth/me', { ignore401: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof Error && 'status' in error && (error as { status: number }).status === 401) return null;
    throw error;
  }
}

export async function logout(): Promise<void> {
  try {
    await request<void>('POST', '/auth/logout', { ignore401: true });
  } finally {
    setCsrfToken(null);
  }
}

export const changePassword = (currentPassword: string, newPassword: string) =>
  request<void>('POST', '/auth/password', { body: { currentPassword, newPassword } satisfies z.input<typeof changePasswordBody> });

export const startTotpSetup = () => request<TotpSetup>('POST', '/auth/totp/setup');
export const enableTotp = (code: string) => request<void>('POST', '/auth/totp/enable', { body: { code } satisfies z.input<typeof totpCodeBody> });
export const disableTotp = (code: string) => request<void>('POST', '/auth/totp/disable', { body: { code } satisfies z.input<typeof totpCodeBody> });
