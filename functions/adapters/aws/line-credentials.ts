/**
 * LINE channel credentials: from Secrets Manager in AWS (cached 5 minutes by Powertools
 * Parameters), from environment variables locally. Never from the repo. Validated with zod/mini:
 * the webhook receiver reads the channel secret here, and its bundle stays small (webhook/schema.ts).
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';
import { ENV } from '../../shared/env';

const credentialsSchema = z.object({
  channelSecret: z.string().check(z.minLength(1)),
  channelAccessToken: z.string().check(z.minLength(1)),
  loginChannelId: z.optional(z.string()),
});

export type LineCredentials = z.infer<typeof credentialsSchema>;

export async function lineCredentials(): Promise<LineCredentials> {
  const arn = process.env[ENV.LINE_SECRET_ARN];
  if (arn) {
    const value = await getSecret(arn, { transform: 'json', maxAge: 300 });
    return credentialsSchema.parse(value);
  }
  return credentialsSchema.parse({
    channelSecret: process.env[ENV.LINE_CHANNEL_SECRET],
    channelAccessToken: process.env[ENV.LINE_CHANNEL_ACCESS_TOKEN],
    loginChannelId: process.env[ENV.LINE_LOGIN_CHANNEL_ID],
  });
}

/** The channel access token, read the same way: what LINE clients ask for before each call. */
export const lineAccessToken = async (): Promise<string> => (await lineCredentials()).channelAccessToken;
