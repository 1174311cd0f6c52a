// Lambda entry: ANY /api/liff/{proxy+} (API Gateway HTTP API) → LIFF router → LINE ID token verify → use cases → DynamoDB, S3.
import { createLiffHandler } from './api';
import { liffDeps } from './wiring';

export const handler = createLiffHandler(liffDeps());
