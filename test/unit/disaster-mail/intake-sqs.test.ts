/**
 * The intake queue's consumer (functions/disaster-mail/intake-sqs.ts): SES's "Received"
 * notification (raw SNS delivery or inside an SNS envelope), SES's setup notification and our own
 * stored-mail message become the intake's input; anything else is refused once, not retried; a
 * raw mail not in the store yet is the only record returned to the queue.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { localContext } from '../../../functions/adapters/local/lambda-context';
import { createIntakeHandler, incomingOf } from '../../../functions/disaster-mail/intake-sqs';
import { mailIdFor } from '../../../functions/disaster-mail/keys';
import type { StoredMailMessage } from '../../../functions/disaster-mail/ports';
import { fixture, intakeHarness, plans } from './intake-fakes';

const BUCKET = 'civic-line-mail-123456789012-ap-northeast-1';
const TOPIC = 'arn:aws:sns:ap-northeast-1:123456789012:civic-line-mail-received';
const SES_ID = 'o3vrnil0e2ic28trm7dfhrc2v0cnbht4vjcpb8g1';

/** SES's notification of a mail stored by its S3 action, as SNS delivers it raw (fields as SES writes them). */
function sesNotification(over: { messageId?: string; timestamp?: string; bucketName?: string; objectKey?: string; verdicts?: Record<string, string> } = {}) {
  const messageId = over.messageId ?? SES_ID;
  const timestamp = over.timestamp ?? '2026-12-06T18:15:02.345Z';
  const verdicts = { spamVerdict: 'PASS', virusVerdict: 'PASS', spfVerdict: 'PASS', dkimVerdict: 'PASS', dmarcVerdict: 'PASS', ...over.verdicts };
  return {
    notificationType: 'Received',
    mail: {
      timestamp,
      source: 'bousai@city.arao.example',
      messageId,
      destination: ['bousai@mail.civic-line.example'],
      headersTruncated: false,
      headers: [
        { name: 'Return-Path', value: '<bousai@city.arao.example>' },
        { name: 'Received', value: 'from mail.city.arao.example (mail.city.arao.example [203.0.113.25]) by inbound-smtp.ap-northeast-1.amazonaws.com' },
        { name: 'From', value: '=?ISO-2022-JP?B?GyRCOVNIeDtUS0k6UjBCQTQyXRsoQg==?= <bousai@city.arao.example>' },
        { name: 'To', value: 'bousai@mail.civic-line.example' },
        { name: 'Subject', value: '=?ISO-2022-JP?B?GyRCIVo5U0h4O1QhW0hyRnE7WDwoGyhC?=' },
        { name: 'Message-ID', value: '<iso-2022-jp-7bit@bousai.city.arao.example>' },
        { name: 'Date', value: 'Mon, 07 Dec 2026 03:15:00 +0900' },
      ],
      commonHeaders: {
        returnPath: 'bousai@city.arao.example',
        from: ['荒尾市防災安全課 <bousai@city.arao.example>'],
        date: 'Mon, 07 Dec 2026 03:15:00 +0900',
        to: ['bousai@mail.civic-line.example'],
        messageId: '<iso-2022-jp-7bit@bousai.city.arao.example>',
        subject: '【荒尾市】避難指示',
      },
    },
    receipt: {
      timestamp,
      processingTimeMillis: 412,
      recipients: ['bousai@mail.civic-line.example'],
      spamVerdict: { status: verdicts.spamVerdict },
      virusVerdict: { status: verdicts.virusVerdict },
      spfVerdict: { status: verdicts.spfVerdict },
      dkimVerdict: { status: verdicts.dkimVerdict },
      dmarcVerdict: { status: verdicts.dmarcVerdict },
      dmarcPolicy: 'none',
      action: {
        type: 'S3',
        topicArn: TOPIC,
        bucketName: over.bucketName ?? BUCKET,
        objectKeyPrefix: 'inbound/',
        objectKey: over.objectKey ?? `inbound/${messageId}`,
      },
    },
  };
}

/** SNS without raw message delivery: the notification is the envelope's Message. */
const snsEnvelope = (message: unknown) => ({
  Type: 'Notification',
  MessageId: '5a1c8f1e-7d1b-5c2e-9d7a-0f4e2b1c3d4e',
  TopicArn: TOPIC,
  Subject: 'Amazon SES Email Receipt Notification',
  Message: JSON.stringify(message),
  Timestamp: '2026-12-06T18:15:02.790Z',
  SignatureVersion: '1',
  Signature: 'EXAMPLEpH+..',
  SigningCertURL: 'https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
  UnsubscribeURL: 'https://sns.ap-northeast-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:ap-northeast-1:123456789012:x',
});

const SETUP = {
  notificationType: 'AMAZON_SES_SETUP_NOTIFICATION',
  receipt: {
    recipients: [],
    timestamp: '2026-12-01T00:00:00.000Z',
    action: { type: 'S3', topicArn: TOPIC, bucketName: BUCKET, objectKey: 'AMAZON_SES_SETUP_NOTIFICATION' },
  },
};

describe('incomingOf', () => {
  it('reads SES’s notification: the mail ID from the receipt time and SES’s message ID (the same every time), the stored object, the verdicts', () => {
    const body = JSON.stringify(sesNotification({ verdicts: { dkimVerdict: 'GRAY', virusVerdict: 'FAIL' } }));
    const incoming = incomingOf(body, BUCKET);
    const receivedMs = Date.parse('2026-12-06T18:15:02.345Z');

    expect(incoming).toEqual({
      mailId: mailIdFor(receivedMs, SES_ID),
      receivedAt: '2026-12-06T18:15:02.345Z',
      storageKey: `inbound/${SES_ID}`,
      source: 'mail',
      authentication: { spf: 'PASS', dkim: 'GRAY', dmarc: 'PASS', virus: 'FAIL' },
    });
    // A redelivered notification is the same mail; another SES message is another.
    expect(incomingOf(body, BUCKET)).toEqual(incoming);
    expect(mailIdFor(receivedMs, SES_ID)).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect((incomingOf(JSON.stringify(sesNotification({ messageId: 'another-ses-id' })), BUCKET) as { mailId: string }).mailId).not.toBe(
      (incoming as { mailId: string }).mailId,
    );
  });

  it('normalises the receipt time to UTC ISO and leaves out verdicts SES did not give', () => {
    const n = sesNotification({ timestamp: '2026-12-07T03:15:02.345+09:00' }) as { receipt: Record<string, unknown> };
    delete n.receipt.dmarcVerdict;
    delete n.receipt.virusVerdict;
    const incoming = incomingOf(JSON.stringify(n), BUCKET);
    expect(incoming).toMatchObject({ receivedAt: '2026-12-06T18:15:02.345Z', authentication: { spf: 'PASS', dkim: 'PASS' } });
    expect((incoming as { authentication: object }).authentication).toEqual({ spf: 'PASS', dkim: 'PASS' });
  });

  it('unwraps an SNS envelope to the same input', () => {
    const raw = incomingOf(JSON.stringify(sesNotification()), BUCKET);
    expect(incomingOf(JSON.stringify(snsEnvelope(sesNotification())), BUCKET)).toEqual(raw);
  });

  it('acknowledges SES’s setup notification, raw or in an envelope', () => {
    expect(incomingOf(JSON.stringify(SETUP), BUCKET)).toBe('setup');
    expect(incomingOf(JSON.stringify(snsEnvelope(SETUP)), BUCKET)).toBe('setup');
  });

  it('takes our own stored-mail message as it is', () => {
    const message: StoredMailMessage = {
      type: 'stored',
      mailId: '01KDMA000000000000000TEST1',
      receivedAt: '2026-12-06T18:20:00.000Z',
      storageKey: 'test/01KDMA000000000000000TEST1.eml',
      source: 'test',
      testSegmentId: '01KDMA0SEGMENT00000000000A',
    };
    const { type: _t, ...expected } = message;
    expect(incomingOf(JSON.stringify(message), BUCKET)).toEqual(expected);
  });

  it.each([
    ['not JSON', 'From: bousai@city.arao.example'],
    ['JSON of something else', JSON.stringify({ hello: 'world' })],
    ['null', 'null'],
    ['an envelope whose message is not JSON', JSON.stringify({ ...snsEnvelope({}), Message: 'not json' })],
    ['another bucket’s mail', JSON.stringify(sesNotification({ bucketName: 'someone-elses-bucket' }))],
    [
      'an SNS action (no stored object)',
      JSON.stringify({ ...sesNotification(), receipt: { ...sesNotification().receipt, action: { type: 'SNS', topicArn: TOPIC } } }),
    ],
    ['a bounce notification', JSON.stringify({ ...sesNotification(), notificationType: 'Bounce' })],
    [
      'a stored message with a key outside inbound/ and test/',
      JSON.stringify({
        type: 'stored',
        mailId: '01KDMA000000000000000TEST1',
        receivedAt: '2026-12-06T18:20:00.000Z',
        storageKey: 'exports/x.csv',
        source: 'mail',
      }),
    ],
  ])('refuses %s (null)', (_what, body) => {
    expect(incomingOf(body, BUCKET)).toBeNull();
  });
});

describe('createIntakeHandler', () => {
  const record = (messageId: string, body: string): SQSRecord => ({
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1765044902790',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1765044902800',
    },
    messageAttributes: {},
    md5OfBody: '0'.repeat(32),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-1:123456789012:civic-line-mail-intake',
    awsRegion: 'ap-northeast-1',
  });

  it('returns only the record whose raw mail is missing to the queue; garbage is acknowledged, the good mail decided', async () => {
    const h = intakeHarness();
    await h.blobs.put(`inbound/${SES_ID}`, fixture('iso-2022-jp-7bit'));
    const handler = createIntakeHandler(h.deps, { mailBucket: BUCKET });
    const event: SQSEvent = {
      Records: [
        record('good', JSON.stringify(sesNotification())),
        record('garbage', '{"not": "a notification"'),
        record('missing', JSON.stringify(sesNotification({ messageId: 'not-stored-yet' }))),
      ],
    };

    const result = await handler(event, localContext('disaster-mail-intake', 60_000));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'missing' }] });
    const good = mailIdFor(Date.parse('2026-12-06T18:15:02.345Z'), SES_ID);
    expect([...h.mails.mails.keys()]).toEqual([good]);
    expect((await h.mails.get(good))!).toMatchObject({ decision: 'sent', authentication: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', virus: 'PASS' } });
    expect(plans(h.planner.messages)).toEqual([{ type: 'plan', deliveryId: good }]);

    // The redelivered batch: the good mail is repeated (nothing new), the missing one is still missing.
    const again = await handler(event, localContext('disaster-mail-intake', 60_000));
    expect(again).toEqual({ batchItemFailures: [{ itemIdentifier: 'missing' }] });
    expect(plans(h.planner.messages)).toHaveLength(1);
    expect(h.deliveries.deliveries.size).toBe(1);
  });

  it('acknowledges a batch of only a setup notification', async () => {
    const h = intakeHarness();
    const handler = createIntakeHandler(h.deps, { mailBucket: BUCKET });
    expect(await handler({ Records: [record('setup', JSON.stringify(SETUP))] }, localContext('disaster-mail-intake', 60_000))).toEqual({
      batchItemFailures: [],
    });
    expect(h.mails.mails.size).toBe(0);
  });
});
