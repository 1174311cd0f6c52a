/** The disaster-mail bridge's routes of the admin API (docs/disaster-mail-api.md): staff with the disasterMail function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { settingsBody } from '../disaster-mail/schemas';
import { getBridgeSettings, saveBridgeSettings, type BridgeSettingsAnswer, type StaffDisasterMailDeps } from '../disaster-mail/staff-disaster-mail';
import { json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

/** PUT's body: the whole settings and the version the editor read. */
export const saveSettingsBody = z.object({
  settings: settingsBody,
  expectedVersion: z.number({ error: '読み込んだ版を指定してください。' }).int().min(0),
});

export function disasterMailRoutes(
  deps: StaffDisasterMailDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'disasterMail' } as const;
  return [
    { method: 'GET', path: '/disaster-mail/settings', access, run: async () => json(200, (await getBridgeSettings(deps)) satisfies BridgeSettingsAnswer) },
    {
      method: 'PUT',
      path: '/disaster-mail/settings',
      access,
      run: async (ctx) => {
        const input = helpers.parse(saveSettingsBody, helpers.jsonBody(ctx.event));
        return json(200, (await saveBridgeSettings(deps, ctx.who!, input.settings, input.expectedVersion)) satisfies BridgeSettingsAnswer);
      },
    },
  ];
}
