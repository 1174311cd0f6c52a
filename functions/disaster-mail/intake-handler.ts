// Lambda entry: the disaster-mail intake queue (SES notifications) → intake-sqs.ts.
import { ENV } from '../shared/env';
import { createIntakeHandler } from './intake-sqs';
import { intakeDeps } from './wiring';

export const handler = createIntakeHandler(intakeDeps(), { mailBucket: process.env[ENV.MAIL_BUCKET] });
