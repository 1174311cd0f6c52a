/** The local runtime's SMTP inbox as tests and the benchmark reach it (nodemailer, as the city's system would send). */
import nodemailer from 'nodemailer';

/** Sends a raw mail over SMTP to the local runtime's inbox, as the city's system would; the inbox answers "250 Queued as <mailId>". */
export async function sendOverSmtp(smtp: { host: string; port: number }, raw: Buffer | string, from = 'bousai@city.arao.example'): Promise<string> {
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from, to: ['bousai@line.city.arao.example'] }, raw });
    const mailId = /Queued as ([0-9A-Z]{26})/.exec(info.response)?.[1];
    if (!mailId) throw new Error(`unexpected SMTP answer ${info.response}`);
    return mailId;
  } finally {
    transport.close();
  }
}
