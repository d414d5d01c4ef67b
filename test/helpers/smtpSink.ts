// biome-ignore-all lint/suspicious/noExplicitAny: node-ical's parsed components are loosely typed
// A real SMTP server on 127.0.0.1 for tests (smtp-server), parsing each letter
// as a mail client would (mailparser) and its calendar part as a calendar would
// (node-ical). It can be stopped and started again on the same port.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import ical from 'node-ical';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  method: string;
  uid: string;
  sequence: number;
  start: Date;
}

/** An SMTP sink on 127.0.0.1 that parses what it receives; it can be stopped and started on the same port. */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      closeTimeout: 500,
      onData: (stream, session, done) => {
        simpleParser(stream)
          .then((mail) => {
            const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
            const text = ics?.content.toString('utf8') ?? '';
            const parsed = ical.sync.parseICS(text);
            const event = Object.values(parsed).find((c: any) => c.type === 'VEVENT') as any;
            this.mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              method: (parsed.vcalendar as any)?.method,
              uid: event?.uid,
              sequence: Number(event?.sequence),
              start: new Date(event?.start),
            });
            done();
          })
          .catch(done);
      },
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async waitFor(n: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
    const until = Date.now() + timeoutMs;
    while (this.mails.length < n) {
      if (Date.now() > until) throw new Error(`expected ${n} mails, got ${this.mails.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.mails.slice(0, n);
  }
}
