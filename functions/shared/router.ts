/** A small router for the admin API: method + path pattern (`/staff/:loginId`) → route definition. */
import type { FunctionId } from '../staff/staff';

/** Who may call a route: anyone, any signed-in staff, administrators only, or holders of a function (any of a list). */
export type Access = 'public' | 'signedIn' | 'admin' | { fn: FunctionId | FunctionId[] };

export interface RouteDefinition<Ctx, Res> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  access: Access;
  /** Allowed while the account must still change its password (me, logout, password). */
  beforePasswordChange?: boolean;
  run(ctx: Ctx, params: Record<string, string>): Promise<Res>;
}

export type RouteMatch<Ctx, Res> = { route: RouteDefinition<Ctx, Res>; params: Record<string, string> } | 'method_not_allowed' | null;

export class Router<Ctx, Res> {
  private readonly compiled: { route: RouteDefinition<Ctx, Res>; pattern: RegExp; names: string[] }[];

  constructor(readonly routes: RouteDefinition<Ctx, Res>[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          if (segment.startsWith(':')) {
            names.push(segment.slice(1));
            return '([^/]+)';
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}/?$`), names };
    });
  }

  /** HEAD is answered like GET. */
  match(method: string, path: string): RouteMatch<Ctx, Res> {
    const wanted = method === 'HEAD' ? 'GET' : method;
    let pathMatched = false;
    for (const { route, pattern, names } of this.compiled) {
      const m = path.match(pattern);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== wanted) continue;
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      } catch {
        return null;
      }
      return { route, params };
    }
    return pathMatched ? 'method_not_allowed' : null;
  }
}
