/** The disaster-mail bridge's routes of the admin API (docs/disaster-mail-api.md): staff with the disasterMail function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { approveBody, dryRunBody, DRY_RUN_MAX_BYTES, saveSettingsBody, SETTINGS_MAX_BYTES, testBody } from '../disaster-mail/schemas';
import { getBridgeSettings, saveBridgeSettings, type BridgeSettingsAnswer, type StaffDisasterMailDeps } from '../disaster-mail/staff-disaster-mail';
import {
  approveMail,
  discardMail,
  dryRun,
  getMail,
  heldCount,
  heldMails,
  listMails,
  rawMail,
  sendTestMail,
  type StaffMailsDeps,
} from '../disaster-mail/staff-mails';
import type { DryRunAnswer, HeldCount, HeldMails, MailLogPage, ReceivedMailDetail, TestMailAnswer } from '../disaster-mail/views';
import { json, type StreamedResult } from '../shared/http';
import type { RouteDefinition } from '../shared/router';
import type { RequestInfo, SignedIn } from '../staff/context';
import { RouteNotFoundError } from './errors';

interface Ctx {
  event: APIGatewayProxyEventV2;
  info: RequestInfo;
  who?: SignedIn;
}

export type DisasterMailRouteDeps = StaffDisasterMailDeps & StaffMailsDeps;

const logQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(2048).optional(),
  })
  .strict();

export function disasterMailRoutes(
  deps: DisasterMailRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2, maxBytes?: number): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'disasterMail' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx, maxBytes?: number) => helpers.parse(schema, helpers.jsonBody(ctx.event, maxBytes));
  const mailId = (params: Record<string, string>) => {
    if (!ULID_PATTERN.test(params.mailId ?? '')) throw new RouteNotFoundError('メールが見つかりません。');
    return params.mailId!;
  };
  const r = (method: 'GET' | 'POST' | 'PUT', path: string, run: RouteDefinition<Ctx, StreamedResult>['run']): RouteDefinition<Ctx, StreamedResult> => ({
    method,
    path,
    access,
    run,
  });
  return [
    r('GET', '/disaster-mail/settings', async () => json(200, (await getBridgeSettings(deps)) satisfies BridgeSettingsAnswer)),
    r('PUT', '/disaster-mail/settings', async (ctx) => {
      const input = body(saveSettingsBody, ctx, SETTINGS_MAX_BYTES);
      return json(200, (await saveBridgeSettings(deps, ctx.who!, input.settings, input.expectedVersion)) satisfies BridgeSettingsAnswer);
    }),
    r('GET', '/disaster-mail/mails', async (ctx) => {
      const q = helpers.parse(logQuery, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
      return json(200, (await listMails(deps, q)) satisfies MailLogPage);
    }),
    r('GET', '/disaster-mail/held', async () => json(200, (await heldCount(deps)) satisfies HeldCount)),
    r('GET', '/disaster-mail/held-mails', async () => json(200, (await heldMails(deps)) satisfies HeldMails)),
    r('GET', '/disaster-mail/mails/:mailId', async (_ctx, p) => json(200, (await getMail(deps, mailId(p))) satisfies ReceivedMailDetail)),
    r('GET', '/disaster-mail/mails/:mailId/raw', async (_ctx, p): Promise<StreamedResult> => {
      const id = mailId(p);
      const answer = await rawMail(deps, id);
      if ('url' in answer) return { statusCode: 302, headers: { location: answer.url, 'cache-control': 'private, no-store' }, body: '' };
      return {
        statusCode: 200,
        headers: {
          'content-type': 'message/rfc822',
          'content-disposition': `attachment; filename="${id}.eml"`,
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
        },
        body: answer.raw.toString('base64'),
        isBase64Encoded: true,
      };
    }),
    r('POST', '/disaster-mail/mails/:mailId/approve', async (ctx, p) =>
      json(200, (await approveMail(deps, ctx.who!, mailId(p), body(approveBody, ctx).text)) satisfies ReceivedMailDetail),
    ),
    r('POST', '/disaster-mail/mails/:mailId/discard', async (ctx, p) => json(200, (await discardMail(deps, ctx.who!, mailId(p))) satisfies ReceivedMailDetail)),
    r('POST', '/disaster-mail/test', async (ctx) => json(202, (await sendTestMail(deps, ctx.who!, body(testBody, ctx).segmentId)) satisfies TestMailAnswer)),
    r('POST', '/disaster-mail/dry-run', async (ctx) => json(200, (await dryRun(deps, body(dryRunBody, ctx, DRY_RUN_MAX_BYTES).raw)) satisfies DryRunAnswer)),
  ];
}
