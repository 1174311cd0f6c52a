/** A minimal browser stand-in for the admin API: keeps the session cookie and the CSRF token. */
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
  raw: Buffer;
}

export class ConsoleClient {
  cookie?: string;
  csrf?: string;
  setCookies: string[] = [];

  constructor(private readonly baseUrl: string) {}

  async call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts: { csrf?: string | null; query?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { origin: this.baseUrl };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
    const res = await fetch(`${this.baseUrl}/api/admin${path}${qs}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const raw = Buffer.from(await res.arrayBuffer());
    const text = raw.toString('utf8');
    this.setCookies = res.headers.getSetCookie();
    for (const c of this.setCookies) {
      const [pair] = c.split(';');
      if (pair.startsWith('cl_session=')) this.cookie = /Max-Age=0/.test(c) ? undefined : pair;
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers, raw };
  }

  async signIn(loginId: string, password: string): Promise<ApiAnswer> {
    const res = await this.call('POST', '/auth/login', { loginId, password });
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }
}
