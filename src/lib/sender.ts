import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

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
