/**
 * The disaster-mail intake as the local runtime runs it: in its own worker thread (a Lambda on the
 * intake queue in AWS, functions/disaster-mail/intake-handler.ts), reading the mail from the
 * runtime's mail folder (MAIL_DIR; the mail bucket in AWS), with the planner and intake queues and
 * the scheduler borrowed from the main thread, and the runtime's moved clock.
 */
import type { PlannerMessage } from '../functions/deliveries/model';
import type { DeliveryScheduler, JsonQueue } from '../functions/deliveries/ports';
import { FileBlobStore } from '../functions/adapters/local/file-blob-store';
import { createIntakeHandler } from '../functions/disaster-mail/intake-sqs';
import type { StoredMailMessage } from '../functions/disaster-mail/ports';
import { intakeDeps } from '../functions/disaster-mail/wiring';
import { hostClock } from '../functions/ports/clock';
import { ENV, requireEnv } from '../functions/shared/env';
import { borrowedPort } from './thread-ports';

export const handler = createIntakeHandler(
  intakeDeps({
    planner: borrowedPort<JsonQueue<PlannerMessage>>('planner', ['send']),
    scheduler: borrowedPort<DeliveryScheduler>('scheduler', ['upsert', 'remove']),
    intake: borrowedPort<JsonQueue<StoredMailMessage>>('intake', ['send']),
    mailStore: new FileBlobStore(requireEnv(ENV.MAIL_DIR)),
    clock: hostClock,
  }),
);
