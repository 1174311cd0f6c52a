/** The disaster-mail bridge's routes of the admin API (docs/disaster-mail-api.md): staff with the disasterMail function. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { settingsBody } from '../disaster-mail/schemas';
import { getBridgeSettings, saveBridgeSettings, type BridgeSettingsAnswer, type StaffDisasterMailDeps } from '../disaster-mail/staff-disaster-mail';
import {
  APPROVED_TEXT_MAX,
  approveMail,
  discardMail,
  dryRun,
  getMail,
  heldCount,
  listMails,
  rawMail,
  sendTestMail,
  type StaffMailsDeps,
} from '../disaster-mail/staff-mails';
import type { DryRunAnswer, HeldCount, MailLogPage, ReceivedMailDetail, TestMailAnswer } from '../disaster-mail/views';
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

/** PUT's body: the whole settings and the version the editor read. */
export const saveSettingsBody = z.object({
  settings: settingsBody,
  expectedVersion: z.number({ error: '読み込んだ版を指定してください。' }).int().min(0),
});

/** Approve a held mail, with the Japanese text staff edited (absent: as composed). */
export const approveBody = z
  .object({
    text: z
      .string()
      .max(APPROVED_TEXT_MAX, `本文は${APPROVED_TEXT_MAX.toLocaleString('ja-JP')}文字以内にしてください。`)
      .optional(),
  })
  .strict();
export const testBody = z.object({ segmentId: z.string({ error: 'テストの送信先を選んでください。' }).min(1).max(64) }).strict();
/** A pasted mail, 1 MB at most (a dry run reads it like a received one). */
export const dryRunBody = z
  .object({
    raw: z
      .string({ error: 'メールを貼り付けてください。' })
      .min(1, 'メールを貼り付けてください。')
      .max(1024 * 1024, '貼り付けたメールが大きすぎます（1 MB まで）。'),
  })
  .strict();
const logQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(2048).optional(),
  })
  .strict();

export function disasterMailRoutes(
  deps: DisasterMailRouteDeps,
  helpers: { parse<T>(schema: ZodType<T>, input: unknown, message?: string): T; jsonBody(event: APIGatewayProxyEventV2): unknown },
): RouteDefinition<Ctx, StreamedResult>[] {
  const access = { fn: 'disasterMail' } as const;
  const body = <T>(schema: ZodType<T>, ctx: Ctx) => helpers.parse(schema, helpers.jsonBody(ctx.event));
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
      const input = body(saveSettingsBody, ctx);
      return json(200, (await saveBridgeSettings(deps, ctx.who!, input.settings, input.expectedVersion)) satisfies BridgeSettingsAnswer);
    }),
    r('GET', '/disaster-mail/mails', async (ctx) => {
      const q = helpers.parse(logQuery, ctx.event.queryStringParameters ?? {}, '表示の条件に誤りがあります。');
      return json(200, (await listMails(deps, q)) satisfies MailLogPage);
    }),
    r('GET', '/disaster-mail/held', async () => json(200, (await heldCount(deps)) satisfies HeldCount)),
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
    r('POST', '/disaster-mail/dry-run', async (ctx) => json(200, (await dryRun(deps, body(dryRunBody, ctx).raw)) satisfies DryRunAnswer)),
  ];
}
