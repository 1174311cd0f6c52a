// Lambda entry: ANY /api/admin/{proxy+} (API Gateway HTTP API) → admin router → use cases → DynamoDB.
import { createAdminHandler } from './api';
import { adminDeps } from './wiring';

export const handler = createAdminHandler(adminDeps());
