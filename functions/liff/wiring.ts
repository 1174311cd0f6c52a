/** Builds the LIFF API's dependencies from the environment (composition root); forms' stores from forms/wiring.ts. */
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { lineCredentials } from '../adapters/aws/line-credentials';
import { LineIdTokenVerifier } from '../adapters/line/id-token-verifier';
import { onceProfileForm } from '../forms/bootstrap';
import { formStores } from '../forms/wiring';
import { systemClock } from '../ports/clock';
import { ENV } from '../shared/env';
import type { LiffDeps } from './api';

export async function loginChannelId(): Promise<string> {
  const id = (await lineCredentials()).loginChannelId;
  if (!id) throw new Error('The LINE Login channel id (loginChannelId) is not configured');
  return id;
}

export function liffDeps(): LiffDeps {
  const stores = formStores();
  return {
    ...stores,
    clock: systemClock,
    verifier: new LineIdTokenVerifier({ channelId: loginChannelId }),
    clicks: new DynamoDeliveryStore(),
    liffId: process.env[ENV.LIFF_ID] || undefined,
    bootstrap: onceProfileForm({ forms: stores.forms, audit: new DynamoAuditLog(), clock: systemClock }),
    // Loaded on the first answer: a changed profile moves the citizen to their segment's rich menu.
    afterSubmit: async (userId) => (await import('../richmenus/wiring')).friendRelinker()(userId),
  };
}
