/** The simulator's control API (/sim/*, same origin), as the phone page uses it. */
import type {
  Citizen,
  CitizenActAnswer,
  CitizenCreatedAnswer,
  CitizenMessageBody,
  FriendshipAnswer,
  IdTokenAnswer,
  MarkedAnswer,
  SimConfigView,
} from '../../views';
import type { PhoneRichMenu, TimelineItem } from './line-json';

export class SimApiError extends Error {
  constructor(
    readonly status: number, // 0 = no answer (network)
    message: string,
  ) {
    super(message);
    this.name = 'SimApiError';
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      cache: 'no-store',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  } catch {
    throw new SimApiError(0, 'シミュレーターに接続できません');
  }
  const text = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: text };
  }
  if (!res.ok) {
    const o = (parsed ?? {}) as { error?: unknown; message?: unknown };
    const message = typeof o.error === 'string' ? o.error : typeof o.message === 'string' ? o.message : `HTTP ${res.status}`;
    throw new SimApiError(res.status, message);
  }
  return parsed as T;
}

const citizenPath = (userId: string) => `/sim/citizens/${encodeURIComponent(userId)}`;

export const simApi = {
  config: () => call<SimConfigView>('GET', '/sim/config'),
  /** The newest `limit` citizens (oldest first, as the API answers), optionally filtered by name or user ID. */
  citizens: (query: string, limit = 300) => call<Citizen[]>('GET', `/sim/citizens?limit=${limit}${query ? `&q=${encodeURIComponent(query)}` : ''}`),
  citizen: (userId: string) => call<Citizen>('GET', citizenPath(userId)),
  addCitizen: (displayName: string, language: string) => call<CitizenCreatedAnswer>('POST', '/sim/citizens', { displayName, language }),
  conversation: (userId: string) => call<TimelineItem[]>('GET', `${citizenPath(userId)}/conversation`),
  richMenu: (userId: string) => call<PhoneRichMenu | null>('GET', `${citizenPath(userId)}/richmenu`),
  send: (userId: string, body: CitizenMessageBody) => call<CitizenActAnswer>('POST', `${citizenPath(userId)}/messages`, body),
  block: (userId: string) => call<FriendshipAnswer>('POST', `${citizenPath(userId)}/block`),
  unblock: (userId: string) => call<FriendshipAnswer>('POST', `${citizenPath(userId)}/unblock`),
  /** Everything the citizen has not opened yet becomes opened (reading the chat, as on LINE). */
  markOpened: (userId: string) => call<MarkedAnswer>('POST', '/sim/opens', { userId }),
  liffToken: (userId: string) => call<IdTokenAnswer>('POST', '/sim/liff/token', { userId }),
};
