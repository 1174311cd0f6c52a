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
import SendMessages from '@line/liff/send-messages';

/** What liff.sendMessages() takes (text, location, … as LINE's message objects; at most 5). */
export type LiffMessages = Parameters<typeof liff.sendMessages>[0];

export interface LineSession {
  idToken: string;
  language?: string;
  close(): void;
  /** Sends into the chat the page was opened from, as the citizen (the LIFF app's `chat_message.write` scope). */
  sendMessages(messages: LiffMessages): Promise<void>;
}

export async function startLine(liffId: string): Promise<LineSession> {
  liff.use(new GetIDToken()).use(new GetLanguage()).use(new CloseWindow()).use(new IsInClient()).use(new IsLoggedIn()).use(new Login()).use(new SendMessages());
  await liff.init({ liffId });
  // An external browser (the link shared outside LINE): LINE Login first, it comes back here.
  if (!liff.isInClient() && !liff.isLoggedIn()) {
    liff.login({ redirectUri: location.href });
    await new Promise(() => undefined); // the page navigates away
  }
  const idToken = liff.getIDToken();
  if (!idToken) throw new Error('no_id_token');
  return { idToken, language: liff.getLanguage(), close: () => liff.closeWindow(), sendMessages: (messages) => liff.sendMessages(messages) };
}
