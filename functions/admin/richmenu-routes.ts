/** Rich menus' routes of the admin API (docs/richmenus-api.md): staff with the richMenus function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import { RICH_MENU_LIMITS } from '../richmenus/model';
import { createMenuBody, disasterSwitchBody, menuIdParam, menuLinksBody, updateMenuBody, versionBody } from '../richmenus/schemas';
import { getMenuLinks, saveMenuLinks, staffSwitchDisaster, type MenuLinksDeps, type MenuLinksView } from '../richmenus/staff-menu-links';
import {
  createMenu,
  deleteMenu,
  getMenu,
  listMenus,
  menuImage,
  publishMenu,
  refreshMenu,
  unpublishMenu,
  updateMenu,
  uploadMenuImage,
  type RichMenuView,
} from '../richmenus/staff-richmenus';
import { PayloadTooLargeError } from '../shared/errors';
import { json, rawBody, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

export type RichMenuRouteDeps = MenuLinksDeps;

/** A menu with 20 areas: well under this. */
const MENU_MAX_BYTES = 64 * 1024;

export function richMenuRoutes(
  deps: RichMenuRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2, maxBytes?: number): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'richMenus' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx) => helpers.parse(schema, helpers.jsonBody(ctx.event, MENU_MAX_BYTES));
  const menuId = (params: Record<string, string>) => {
    if (!menuIdParam.safeParse(params.menuId).success) throw new RouteNotFoundError('このメニューは見つかりません。');
    return params.menuId!;
  };
  const r = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    run: RouteDefinition<Ctx, StreamedResult>['run'],
  ): RouteDefinition<Ctx, StreamedResult> => ({ method, path, access, run });
  return [
    r('GET', '/richmenus', async () => json(200, { items: await listMenus(deps) } satisfies { items: RichMenuView[] })),
    r('POST', '/richmenus', async (ctx) => json(201, (await createMenu(deps, ctx.who!, body(createMenuBody, ctx))) satisfies RichMenuView)),
    r('GET', '/richmenus/:menuId', async (_ctx, p) => json(200, (await getMenu(deps, menuId(p))) satisfies RichMenuView)),
    r('PUT', '/richmenus/:menuId', async (ctx, p) =>
      json(200, (await updateMenu(deps, ctx.who!, menuId(p), body(updateMenuBody, ctx))) satisfies RichMenuView),
    ),
    r('DELETE', '/richmenus/:menuId', async (ctx, p) => {
      await deleteMenu(deps, ctx.who!, menuId(p), body(versionBody, ctx).version);
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    }),
    r('POST', '/richmenus/:menuId/image', async (ctx, p) => {
      const bytes = rawBody(ctx.event);
      if (bytes.length > RICH_MENU_LIMITS.imageBytes) throw new PayloadTooLargeError('画像が大きすぎます（LINEの上限1MBまで）。');
      return json(200, (await uploadMenuImage(deps, ctx.who!, menuId(p), bytes)) satisfies RichMenuView);
    }),
    r('GET', '/richmenus/:menuId/image', async (_ctx, p) => {
      const image = await menuImage(deps, menuId(p));
      return {
        statusCode: 200,
        headers: { 'content-type': image.contentType, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' },
        body: image.bytes.toString('base64'),
        isBase64Encoded: true,
      };
    }),
    r('POST', '/richmenus/:menuId/publish', async (ctx, p) =>
      json(200, (await publishMenu(deps, ctx.who!, menuId(p), body(versionBody, ctx).version)) satisfies RichMenuView),
    ),
    r('POST', '/richmenus/:menuId/unpublish', async (ctx, p) =>
      json(200, (await unpublishMenu(deps, ctx.who!, menuId(p), body(versionBody, ctx).version)) satisfies RichMenuView),
    ),
    r('POST', '/richmenus/:menuId/refresh', async (ctx, p) =>
      json(200, (await refreshMenu(deps, ctx.who!, menuId(p), body(versionBody, ctx).version)) satisfies RichMenuView),
    ),
    r('GET', '/richmenu-links', async () => json(200, (await getMenuLinks(deps)) satisfies MenuLinksView)),
    r('PUT', '/richmenu-links', async (ctx) => json(200, (await saveMenuLinks(deps, ctx.who!, body(menuLinksBody, ctx))) satisfies MenuLinksView)),
    r('POST', '/richmenu-links/disaster', async (ctx) => {
      const { on, version } = body(disasterSwitchBody, ctx);
      return json(200, (await staffSwitchDisaster(deps, ctx.who!, on, version)) satisfies MenuLinksView);
    }),
  ];
}
