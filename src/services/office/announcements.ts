/** Announcements (公告): written by admins and managers, shown until a date, pinned first, with read marks. */
import { compareDates } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { can, requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { OfficeErrors, officeError, parseOfficeDate, type Row, readCap, str, todayOf } from './common.js';

export interface AnnouncementRecord {
  id: number;
  title: string;
  content: string;
  until: string | null;
  pinned: boolean;
  author: string | null;
  createdAt: string;
  /** For the reader: read already. */
  read: boolean;
}

function query(svc: ServiceContext) {
  return svc
    .db('announcements as a')
    .leftJoin('users as u', 'u.id', 'a.author_id')
    .leftJoin('announcement_reads as r', (j) =>
      j.on('r.announcement_id', 'a.id').andOn('r.user_id', svc.db.raw('?', [svc.actor.id])),
    )
    .select('a.*', 'u.name as author_name', 'r.read_at');
}

function toRecord(r: Row): AnnouncementRecord {
  return {
    id: Number(r.id),
    title: String(r.title),
    content: String(r.content),
    until: str(r.until_date),
    pinned: Boolean(Number(r.pinned)),
    author: str(r.author_name),
    createdAt: String(r.created_at),
    read: r.read_at != null,
  };
}

export interface AnnouncementInput {
  title: string;
  content: string;
  until?: string;
  pin?: boolean;
}

export async function addAnnouncement(svc: ServiceContext, input: AnnouncementInput): Promise<AnnouncementRecord> {
  if (!can(svc.actor, 'users.manage'))
    requireCapability(svc.actor, 'crm.approve', m('发布公告', 'publish announcements'));
  const title = input.title?.trim() ?? '';
  const content = input.content?.trim() ?? '';
  if (!title || !content) {
    throw officeError(
      OfficeErrors.announcementEmpty,
      m('公告须有标题和内容', 'an announcement needs a title and content'),
      ExitCode.usage,
      m('用 --title 和 --content', 'pass --title and --content'),
    );
  }
  const today = await todayOf(svc);
  const until = input.until ? await parseOfficeDate(svc, input.until, '--until') : null;
  if (until && compareDates(until, today) < 0) {
    throw officeError(
      OfficeErrors.badDate,
      m(`--until ${until} 已经过去（今天 ${today}）`, `--until ${until} is already past (today is ${today})`),
    );
  }
  return inTransaction(svc, async (tx) => {
    const now = nowIso(tx.clock);
    const [id] = await tx.db('announcements').insert({
      title: title.slice(0, 200),
      content,
      until_date: until,
      pinned: Boolean(input.pin),
      author_id: tx.actor.id > 0 ? tx.actor.id : null,
      created_at: now,
      updated_at: now,
    });
    const rec = toRecord(await query(tx).where('a.id', id).first());
    await audit(tx, { action: 'announcements.add', entity: 'announcement', entityId: Number(id), after: rec });
    return rec;
  });
}

/** Announcements still shown (or all), pinned first, newest first, each with the reader's read mark. */
export async function listAnnouncements(
  svc: ServiceContext,
  opts: { all?: boolean; unread?: boolean } = {},
): Promise<AnnouncementRecord[]> {
  readCap(svc);
  const q = query(svc);
  if (!opts.all) {
    const today = await todayOf(svc);
    q.where((w) => w.whereNull('a.until_date').orWhere('a.until_date', '>=', today));
  }
  if (opts.unread) q.whereNull('r.read_at');
  q.orderBy('a.pinned', 'desc').orderBy('a.created_at', 'desc').orderBy('a.id', 'desc');
  return (await q).map(toRecord);
}

/** Show one and mark it read for the reader (once; audited the first time). */
export async function readAnnouncement(svc: ServiceContext, id: number): Promise<AnnouncementRecord> {
  readCap(svc);
  return inTransaction(svc, async (tx) => {
    const row = await query(tx).where('a.id', id).first();
    if (!row) {
      throw officeError(
        OfficeErrors.announcementNotFound,
        m(`公告不存在：${id}`, `no such announcement: ${id}`),
        ExitCode.noData,
        m('用 "crm announcements list" 查看', 'see "crm announcements list"'),
      );
    }
    if (row.read_at == null && tx.actor.id > 0) {
      await tx
        .db('announcement_reads')
        .insert({ announcement_id: id, user_id: tx.actor.id, read_at: nowIso(tx.clock) })
        // Two reads at once by the same person: the key keeps one mark, the other insert is a no-op.
        .onConflict(['announcement_id', 'user_id'])
        .ignore();
      await audit(tx, { action: 'announcements.read', entity: 'announcement', entityId: id });
    }
    return toRecord(row);
  });
}
