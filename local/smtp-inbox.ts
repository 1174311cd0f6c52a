/**
 * The local stand-in for SES email receiving: a real SMTP server (smtp-server, the maintained
 * library of the Nodemailer project; no hand-written protocol) on 127.0.0.1:2525 with `npm start`.
 * The city can point its disaster-prevention system at a test machine. Every mail is stored as it
 * arrived before the server answers 250 (SES stores to S3 the same way), then its message goes on
 * the intake queue; a mail over SES's 40 MB is refused with 552 (the sender gets a bounce, as
 * with SES); the bridge itself refuses to read anything over 10 MB and logs it as unreadable.
 */
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/** SES's limit for a received mail (headers and attachments included). */
export const SMTP_MAX_BYTES = 40 * 1024 * 1024;

export interface SmtpInbox {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** `accept` stores the mail and queues it; it answers the ID it was stored under. */
export async function startSmtpInbox(options: { host: string; port: number; accept(raw: Buffer): Promise<string>; maxBytes?: number }): Promise<SmtpInbox> {
  const maxBytes = options.maxBytes ?? SMTP_MAX_BYTES;
  const server = new SMTPServer({
    name: 'civic-line.local',
    banner: 'civic-line local inbox (the disaster-mail bridge)',
    size: maxBytes,
    // A test machine's inbox: no sign-in and no TLS (SES takes mail with or without STARTTLS too).
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // Stopping the runtime does not wait 30 s for a client that keeps its connection open.
    closeTimeout: 2_000,
    onData(stream: SMTPServerDataStream, _session, callback) {
      const chunks: Buffer[] = [];
      // Past the limit smtp-server only flags the stream and keeps reading: stop keeping the bytes.
      stream.on('data', (chunk: Buffer) => void (stream.sizeExceeded || chunks.push(chunk)));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const error = Object.assign(new Error(`Message exceeds the fixed maximum message size of ${maxBytes} bytes`), { responseCode: 552 });
          return callback(error);
        }
        options.accept(Buffer.concat(chunks)).then(
          (id) => callback(null, `Queued as ${id}`),
          (error: Error) => {
            console.error('[local] SMTP: the mail could not be stored', error);
            callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (error) => console.error('[local] SMTP', error.message));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { host: options.host, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
