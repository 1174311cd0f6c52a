/**
 * The first administrator's one-time password is printed once and must be replaced at the first
 * sign-in (the console asks for nothing else until it is). Tests and the benchmark do what a
 * person does: sign in with the printed password and set their own.
 */
import { generatePassword } from '../functions/staff/password';

/** Signs in with the printed password, sets a new one and returns it. */
export async function replaceInitialPassword(
  platformUrl: string,
  admin: { loginId: string; password: string },
  newPassword = generatePassword(24),
): Promise<string> {
  const headers = { 'content-type': 'application/json', origin: platformUrl };
  const login = await fetch(`${platformUrl}/api/admin/auth/login`, { method: 'POST', headers, body: JSON.stringify(admin) });
  if (login.status !== 200) throw new Error(`first sign-in of ${admin.loginId} failed: ${login.status} ${await login.text()}`);
  const { csrfToken, me } = (await login.json()) as { csrfToken: string; me: { mustChangePassword: boolean } };
  if (!me.mustChangePassword) throw new Error(`${admin.loginId} was not asked to change the printed password`);
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const change = await fetch(`${platformUrl}/api/admin/auth/password`, {
    method: 'POST',
    headers: { ...headers, cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ currentPassword: admin.password, newPassword }),
  });
  if (change.status !== 204) throw new Error(`password change of ${admin.loginId} failed: ${change.status} ${await change.text()}`);
  return newPassword;
}
