// Placeholder replaced by the webhook event consumer (SQS -> use case).
export const handler = async () => ({ batchItemFailures: [] });
