import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/**
 * The pluggable sender both outboxes deliver through: the staff side's alerts
 * (notifications module) and the public side's notices to event registrants
 * (public module, its own store). A city with a mail server plugs in a sender
 * for it; the demo and the tests write messages to a file.
 */
export interface OutgoingMessage {
  id: string;
  kind: string;
  subject: string;
  body: string;
}

export interface Addressee {
  /** A staff login, an email address or a phone number, as `channel` says. */
  address: string;
  channel: 'login' | 'email' | 'phone';
  name?: string;
}

export interface MessageSender {
  send(message: OutgoingMessage, to: Addressee[]): Promise<void>;
}

/** Writes each message as one JSON line to `dir/fileName`: the demo's and the tests' sender. */
export function fileSender(dir: string, fileName = 'outbox.jsonl'): MessageSender & { file: string } {
  const file = join(dir, fileName);
  return {
    file,
    async send(message, to) {
      await mkdir(dir, { recursive: true });
      await appendFile(file, `${JSON.stringify({ ...message, to: to.map((r) => r.address), at: new Date().toISOString() })}\n`);
    },
  };
}

/**
 * Sends to the addressees who gave an email through the city's mail server,
 * one message each (registrants never see one another's address); the rest
 * (phone numbers, staff logins) go to `others`.
 */
export function smtpSender(smtp: { url: string; from: string }, others: MessageSender): MessageSender & { close(): void } {
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send(message, to) {
      for (const a of to.filter((x) => x.channel === 'email')) {
        await transport.sendMail({
          from: smtp.from, to: a.name ? { name: a.name, address: a.address } : a.address,
          subject: message.subject, text: message.body, headers: { 'X-Tsunagu-Message': message.id },
        });
      }
      const rest = to.filter((x) => x.channel !== 'email');
      if (rest.length) await others.send(message, rest);
    },
    close: () => transport.close(),
  };
}

/**
 * The sender of messages to residents (event registrants, consultation-day
 * bookings): the file, and the mail server for emails where the city
 * configured one.
 */
export function registrantSender(opts: { dir: string; smtp?: { url: string; from: string } }): MessageSender {
  const file = fileSender(opts.dir, 'registrants.jsonl');
  return opts.smtp ? smtpSender(opts.smtp, file) : file;
}
