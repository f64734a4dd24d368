/**
 * The morning digest (`daily-digest` job): each active user's to-do list as a file
 * `<reports dir>/<date>/digest/<user>.txt`, and by e-mail (nodemailer) when `mail.smtp` and `mail.from` are set,
 * the user has an address and something is due. Subject and body are in the user's language (`users.lang`).
 *
 * One e-mail per user per day: `digest_sends` holds one row per (date, user), written `sending` (committed)
 * before the message goes out and `sent` after the server accepted it. A retried run sends only to users whose
 * row is not `sent`; a recipient the server refuses is recorded `refused` and the rest are still sent; the run
 * then fails (E5180) so that a plain `crm jobs run daily-digest --date D` later resumes and sends to those only.
 * A process killed between the server's acceptance and the `sent` mark leaves `sending`: the retry sends that
 * one message again with the same Message-ID (mail clients show one), the only case a person may see it twice.
 * The SMTP URL's password is never logged, audited or put in an error message.
 */
import path from 'node:path';
import nodemailer from 'nodemailer';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { m, tr } from '../../domain/i18n.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { audit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { buildTodo, type TodoList } from '../todo/index.js';
import { renderTodoText } from '../todo/render.js';
import { resolveActor } from '../users.js';
import { OfficeErrors, timeZoneOf } from './common.js';

export interface UserDigest {
  user: string;
  userId: number;
  lang: 'zh' | 'en';
  email: string | null;
  list: TodoList;
  text: string;
}

/** Every active user's to-do list for the date, built as that user sees it. */
export async function buildDigests(svc: ServiceContext, date: string): Promise<UserDigest[]> {
  const tz = await timeZoneOf(svc);
  const users: { id: number; name: string; email: string | null; lang: string | null }[] = await svc
    .db('users')
    .where({ status: 'active' })
    .orderBy('name')
    .select('id', 'name', 'email', 'lang');
  const out: UserDigest[] = [];
  for (const u of users) {
    const actor = await resolveActor(svc.db, u.name);
    const list = await buildTodo({ ...svc, actor }, { date });
    const lang = u.lang === 'en' ? 'en' : 'zh';
    out.push({
      user: u.name,
      userId: Number(u.id),
      lang,
      email: u.email || null,
      list,
      text: renderTodoText(list, { lang, timeZone: tz, now: svc.clock.now() }),
    });
  }
  return out;
}

/** `<dir>/<date>/digest/<user>.txt` for every active user (written atomically); the paths. */
export async function writeDigestFiles(svc: ServiceContext, date: string, reportsDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const d of await buildDigests(svc, date)) {
    const file = path.join(reportsDir, date, 'digest', `${d.user}.txt`);
    writeFileAtomic(file, d.text, { createDir: true });
    files.push(file);
  }
  return files;
}

export interface DigestSendResult {
  date: string;
  sent: string[];
  alreadySent: string[];
  refused: { user: string; email: string; error: string }[];
  /** Nothing due, or no address: no e-mail. */
  skipped: string[];
  mail: 'off' | 'on';
}

const subjectOf = (d: UserDigest, date: string) =>
  tr(d.lang, m('待办晨报 {date}：{n} 项', 'Morning digest {date}: {n} item(s) to do'), {
    date,
    n: d.list.items.length,
  });

/** The Message-ID of a user's digest for a date: the same on every attempt. */
const messageIdOf = (date: string, user: string, from: string) =>
  `<digest-${date}-${encodeURIComponent(user)}@${(from.split('@')[1] ?? 'crm').replace(/[>\s]/g, '')}>`;

/** A message safe to record: no URL, so no password, only the server's words. */
function safeError(err: unknown): string {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = e.response ?? `${e.code ?? ''} ${e.message ?? String(err)}`;
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s]*/gi, '[url]').slice(0, 480);
}

/** Refused by the server for this recipient (5xx), as opposed to the server being unreachable. */
function refusedRecipient(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  return e.code === 'EENVELOPE' || (typeof e.responseCode === 'number' && e.responseCode >= 500);
}

export async function sendDigests(
  svc: ServiceContext,
  date: string,
  log: (event: string, fields?: Record<string, unknown>) => void = () => {},
): Promise<DigestSendResult> {
  const smtp = await svc.settings.get<string>('mail.smtp');
  const from = await svc.settings.get<string>('mail.from');
  const result: DigestSendResult = {
    date,
    sent: [],
    alreadySent: [],
    refused: [],
    skipped: [],
    mail: smtp && from ? 'on' : 'off',
  };
  if (!smtp || !from) return result;
  const transport = nodemailer.createTransport(smtp);
  const failed: string[] = [];
  try {
    for (const d of await buildDigests(svc, date)) {
      if (!d.email || d.list.items.length === 0) {
        result.skipped.push(d.user);
        continue;
      }
      const row = await svc.db('digest_sends').where({ business_date: date, user_id: d.userId }).first();
      if (row?.status === 'sent') {
        result.alreadySent.push(d.user);
        continue;
      }
      const messageId = messageIdOf(date, d.user, from);
      const now = svc.clock.now().toISOString();
      // Recorded (and committed) before the message goes out.
      if (row) {
        await svc
          .db('digest_sends')
          .where({ id: row.id })
          .update({
            status: 'sending',
            email: d.email,
            attempts: Number(row.attempts) + 1,
            error: null,
            updated_at: now,
          });
      } else {
        await svc.db('digest_sends').insert({
          business_date: date,
          user_id: d.userId,
          email: d.email,
          status: 'sending',
          message_id: messageId,
          attempts: 1,
          updated_at: now,
        });
      }
      try {
        await transport.sendMail({
          from,
          to: d.email,
          subject: subjectOf(d, date),
          text: d.text,
          messageId,
          headers: { 'X-CRM-Digest': `${date}/${d.user}` },
        });
      } catch (err) {
        const error = safeError(err);
        const status = refusedRecipient(err) ? 'refused' : 'failed';
        await svc
          .db('digest_sends')
          .where({ business_date: date, user_id: d.userId })
          .update({ status, error, updated_at: svc.clock.now().toISOString() });
        log('digest.refused', { user: d.user, status, error });
        if (status === 'refused') result.refused.push({ user: d.user, email: d.email, error });
        else failed.push(`${d.user}: ${error}`);
        continue;
      }
      await svc
        .db('digest_sends')
        .where({ business_date: date, user_id: d.userId })
        .update({ status: 'sent', error: null, updated_at: svc.clock.now().toISOString() });
      await audit(svc, {
        action: 'digest.sent',
        entity: 'digest',
        entityId: `${date}/${d.user}`,
        after: { email: d.email, items: d.list.items.length },
      });
      log('digest.sent', { user: d.user });
      result.sent.push(d.user);
    }
  } finally {
    transport.close();
  }
  if (result.refused.length || failed.length) {
    const who = [...result.refused.map((r) => `${r.user} <${r.email}>: ${r.error}`), ...failed].join('; ');
    throw new CrmError(
      result.refused.length ? OfficeErrors.digestRefused : OfficeErrors.digestSmtp,
      m(
        `晨报 ${date}：已发送 ${result.sent.length} 封，未送达 ${result.refused.length + failed.length} 封（${who}）`,
        `digest ${date}: ${result.sent.length} sent, ${result.refused.length + failed.length} not delivered (${who})`,
      ),
      ExitCode.error,
      m(
        `改正地址（crm users edit 用户 --email …）或邮件服务器后，运行 "crm jobs run daily-digest --date ${date}"：只发给未送达的人`,
        `fix the address (crm users edit USER --email …) or the mail server, then run "crm jobs run daily-digest --date ${date}": it sends only to those not reached`,
      ),
    );
  }
  return result;
}
