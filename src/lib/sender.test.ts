import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { startTestSmtp } from '../../test/helpers/smtp.ts';
import { registrantSender } from './sender.ts';

let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
const dir = mkdtempSync(join(tmpdir(), 'tsunagu-sender-'));

before(async () => {
  smtp = await startTestSmtp();
});
after(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

test('with the city’s mail server configured, each registrant with an email gets their own mail in Japanese; a phone number goes to the file', async () => {
  const sender = registrantSender({ dir, smtp: { url: smtp.url, from: '相談窓口 <soudan@city.example.jp>' } });
  await sender.send(
    { id: 'm-1', kind: 'event_reminder', subject: '【明日】ひきこもり講演会のご案内', body: '令和8年8月1日（土）14:00〜16:00 市役所西棟\nキャンセル: https://example.jp/public/events?cancel=ABC' },
    [{ address: 'a@example.jp', channel: 'email', name: 'あおば' }, { address: 'b@example.jp', channel: 'email' }, { address: '090-0000-0000', channel: 'phone' }],
  );
  assert.equal(smtp.received.length, 2, 'one mail per registrant');
  assert.deepEqual(smtp.received.map((m) => m.to), [['a@example.jp'], ['b@example.jp']], 'nobody sees another registrant’s address');
  assert.equal(smtp.received[0].from, 'soudan@city.example.jp');
  assert.equal(smtp.received[0].subject, '【明日】ひきこもり講演会のご案内');
  assert.match(smtp.received[0].text, /令和8年8月1日（土）14:00〜16:00/);
  assert.equal(smtp.received[0].header, 'm-1');
  const filed = readFileSync(join(dir, 'registrants.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string[] });
  assert.deepEqual(filed.map((m) => m.to), [['090-0000-0000']]);
});

test('a mail server that refuses makes the send fail, so the outbox keeps the message for the next run', async () => {
  const sender = registrantSender({ dir, smtp: { url: 'smtp://127.0.0.1:1', from: 'soudan@city.example.jp' } });
  await assert.rejects(sender.send({ id: 'm-2', kind: 'event_reminder', subject: '件名', body: '本文' }, [{ address: 'a@example.jp', channel: 'email' }]));
});

test('the mail server is configured by URL and sender address; a half configuration is refused with what to give', () => {
  const base = { TSUNAGU_DATA_DIR: '/nonexistent' } as NodeJS.ProcessEnv;
  assert.deepEqual(loadConfig({ ...base, TSUNAGU_SMTP_URL: 'smtp://mail.example.jp:587', TSUNAGU_SMTP_FROM: 'soudan@city.example.jp' }, { demo: false }).registrantMessages.smtp,
    { url: 'smtp://mail.example.jp:587', from: 'soudan@city.example.jp' });
  assert.equal(loadConfig(base, { demo: false }).registrantMessages.smtp, undefined);
  assert.throws(() => loadConfig({ ...base, TSUNAGU_SMTP_URL: 'smtp://mail.example.jp:587' }, { demo: false }), /TSUNAGU_SMTP_FROM/);
  assert.throws(() => loadConfig({ ...base, TSUNAGU_SMTP_URL: 'http://mail.example.jp', TSUNAGU_SMTP_FROM: 'x@example.jp' }, { demo: false }), /smtp:\/\//);
});
