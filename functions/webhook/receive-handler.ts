// Placeholder replaced by the webhook receive handler (API Gateway -> verify -> SQS).
export const handler = async () => ({ statusCode: 200, body: '{}' });
