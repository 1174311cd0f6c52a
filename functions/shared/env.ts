/**
 * Environment contract shared by every Lambda handler and the local runtime.
 * In AWS the CDK stack sets these; locally bin/local.ts does.
 *
 * | variable | meaning |
 * |---|---|
 * | STAGE | local, test or prod |
 * | TABLE_NAME | the single DynamoDB table |
 * | DYNAMODB_ENDPOINT | only locally: DynamoDB Local (http://127.0.0.1:8000) |
 * | WEBHOOK_QUEUE_URL | SQS queue that carries one webhook event per message |
 * | LINE_SECRET_ARN | AWS: Secrets Manager secret, JSON {channelSecret, channelAccessToken, loginChannelId} |
 * | LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, LINE_LOGIN_CHANNEL_ID | locally, instead of LINE_SECRET_ARN |
 * | APP_SECRET_ARN | AWS: Secrets Manager secret, JSON {signingKey}: the platform's HMAC key (cursors, sign-in throttling) |
 * | APP_SIGNING_KEY | locally, instead of APP_SECRET_ARN (generated into .local-data/local-secrets.json) |
 * | LIFF_ID | the city's LIFF app (`-c liffId`; locally `<loginChannelId>-LocalSim`): citizen pages open as https://liff.line.me/<LIFF_ID>/… |
 * | LINE_API_BASE_URL | default https://api.line.me (the simulator locally) |
 * | LINE_DATA_API_BASE_URL | default https://api-data.line.me (the simulator locally) |
 * | UPLOADS_BUCKET | AWS: S3 bucket of citizens' uploads and large exports |
 * | UPLOADS_DIR | locally: folder of uploads (.local-data/uploads, a temp folder for --memory) |
 * | MAIL_DIR | locally: folder of received disaster mail (.local-data/mail; the mail bucket in AWS) |
 * | LOCAL_BLOBS_URL, LOCAL_BLOBS_SECRET | locally: base URL and HMAC key of the signed direct-upload endpoint (S3 presigned PUT in AWS) |
 * | SCHEDULE_GROUP, SCHEDULER_ROLE_ARN, PLANNER_QUEUE_ARN, SCHEDULER_DLQ_ARN | AWS: EventBridge Scheduler group, the role it assumes, its target (planner queue) and its DLQ |
 * | PLANNER_QUEUE_URL | SQS queue of planner messages (`plan` a delivery, a recurring `occurrence`) |
 * | SEND_QUEUE_URL | SQS queue of send messages (one chunk of ≤ 500 recipients each) |
 * | PUBLIC_BASE_URL | the platform's public origin: click redirect `/r/…` and images `/media/…` in sent messages |
 * | LINE_SEND_TIMEOUT_MS | optional: how long any call to LINE may take (default 10000) |
 * | MAIL_BUCKET, MAIL_QUEUE_URL | AWS: the disaster-mail bridge's raw-mail bucket (SES writes `inbound/`, the test button `test/`) and intake queue |
 */
export const ENV = {
  STAGE: 'STAGE',
  TABLE_NAME: 'TABLE_NAME',
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
  WEBHOOK_QUEUE_URL: 'WEBHOOK_QUEUE_URL',
  LINE_SECRET_ARN: 'LINE_SECRET_ARN',
  LINE_CHANNEL_SECRET: 'LINE_CHANNEL_SECRET',
  LINE_CHANNEL_ACCESS_TOKEN: 'LINE_CHANNEL_ACCESS_TOKEN',
  LINE_LOGIN_CHANNEL_ID: 'LINE_LOGIN_CHANNEL_ID',
  APP_SECRET_ARN: 'APP_SECRET_ARN',
  APP_SIGNING_KEY: 'APP_SIGNING_KEY',
  LIFF_ID: 'LIFF_ID',
  LINE_API_BASE_URL: 'LINE_API_BASE_URL',
  LINE_DATA_API_BASE_URL: 'LINE_DATA_API_BASE_URL',
  UPLOADS_BUCKET: 'UPLOADS_BUCKET',
  UPLOADS_DIR: 'UPLOADS_DIR',
  MAIL_DIR: 'MAIL_DIR',
  LOCAL_BLOBS_URL: 'LOCAL_BLOBS_URL',
  LOCAL_BLOBS_SECRET: 'LOCAL_BLOBS_SECRET',
  // Scheduling (functions/adapters/aws/eventbridge-scheduler.ts).
  SCHEDULE_GROUP: 'SCHEDULE_GROUP',
  SCHEDULER_ROLE_ARN: 'SCHEDULER_ROLE_ARN',
  PLANNER_QUEUE_ARN: 'PLANNER_QUEUE_ARN',
  SCHEDULER_DLQ_ARN: 'SCHEDULER_DLQ_ARN',
  // Send pipeline (functions/deliveries/wiring.ts).
  PLANNER_QUEUE_URL: 'PLANNER_QUEUE_URL',
  SEND_QUEUE_URL: 'SEND_QUEUE_URL',
  PUBLIC_BASE_URL: 'PUBLIC_BASE_URL',
  LINE_SEND_TIMEOUT_MS: 'LINE_SEND_TIMEOUT_MS',
  MAIL_BUCKET: 'MAIL_BUCKET',
  MAIL_QUEUE_URL: 'MAIL_QUEUE_URL',
} as const;

/** Reads a variable that must be set; the message names it so a misconfigured deploy is obvious. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
