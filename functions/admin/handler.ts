// Placeholder replaced by the admin API Lambda entry (ANY /api/admin/{proxy+}).
export const handler = async () => ({ statusCode: 404, body: '{}' });
