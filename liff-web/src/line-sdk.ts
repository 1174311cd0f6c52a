/**
 * Inside LINE: the LIFF SDK (pluggable core + only the modules this page uses, to stay small).
 * This module is imported dynamically — never in the simulator's overlay, which gives the token
 * in the URL fragment instead. The LIFF ID comes from the runtime config (/liff/config.json,
 * written at deployment like the console's config.json).
 */
import liff from '@line/liff/core';
import CloseWindow from '@line/liff/close-window';
import GetIDToken from '@line/liff/get-id-token';
import GetLanguage from '@line/liff/get-language';
import IsInClient from '@line/liff/is-in-client';
import IsLoggedIn from '@line/liff/is-logged-in';
import Login from '@line/liff/login';

export interface LineSession {
  idToken: string;
  language?: string;
  close(): void;
}

export async function startLine(liffId: string): Promise<LineSession> {
  liff.use(new GetIDToken()).use(new GetLanguage()).use(new CloseWindow()).use(new IsInClient()).use(new IsLoggedIn()).use(new Login());
  await liff.init({ liffId });
  // An external browser (the link shared outside LINE): LINE Login first, it comes back here.
  if (!liff.isInClient() && !liff.isLoggedIn()) {
    liff.login({ redirectUri: location.href });
    await new Promise(() => undefined); // the page navigates away
  }
  const idToken = liff.getIDToken();
  if (!idToken) throw new Error('no_id_token');
  return { idToken, language: liff.getLanguage(), close: () => liff.closeWindow() };
}
