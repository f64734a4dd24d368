/**
 * The staff directory (通讯录): department, title, phone, mobile and e-mail on users (`crm users edit`), and the
 * language of their morning digest. A user edits their own entry; an admin edits anyone's.
 */
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { plausibleEmail, plausiblePhone } from '../customers/common.js';
import { OfficeErrors, officeError, type Row, str } from './common.js';

export interface DirectoryEntry {
  name: string;
  displayName: string | null;
  role: string;
  department: string | null;
  title: string | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  lang: 'zh' | 'en' | null;
  supervisor: string | null;
}

export interface ProfileEdit {
  displayName?: string;
  department?: string;
  title?: string;
  phone?: string;
  mobile?: string;
  email?: string;
  lang?: string;
}

function entryQuery(svc: ServiceContext) {
  return svc
    .db('users as u')
    .leftJoin('users as s', 's.id', 'u.supervisor_id')
    .select('u.*', 's.name as supervisor_name');
}

function toEntry(r: Row): DirectoryEntry {
  return {
    name: String(r.name),
    displayName: str(r.display_name),
    role: String(r.role),
    department: str(r.department),
    title: str(r.title),
    phone: str(r.phone),
    mobile: str(r.mobile),
    email: str(r.email),
    lang: (str(r.lang) as 'zh' | 'en' | null) ?? null,
    supervisor: str(r.supervisor_name),
  };
}

/** Active users, by department then name. Everyone may read the directory. */
export async function listDirectory(svc: ServiceContext): Promise<DirectoryEntry[]> {
  const rows = await entryQuery(svc)
    .where('u.status', 'active')
    .orderByRaw('case when u.department is null then 1 else 0 end')
    .orderBy('u.department')
    .orderBy('u.name');
  return rows.map(toEntry);
}

export async function editProfile(svc: ServiceContext, name: string, input: ProfileEdit): Promise<DirectoryEntry> {
  if (name !== svc.actor.name)
    requireCapability(svc.actor, 'users.manage', m('修改他人的通讯录信息', "change someone else's directory entry"));
  const patch: Row = {};
  const text = (v: string | undefined, max: number) => (v === undefined ? undefined : v.trim().slice(0, max) || null);
  if (input.displayName !== undefined) patch.display_name = text(input.displayName, 100);
  if (input.department !== undefined) patch.department = text(input.department, 100);
  if (input.title !== undefined) patch.title = text(input.title, 100);
  for (const key of ['phone', 'mobile'] as const) {
    const v = input[key];
    if (v === undefined) continue;
    if (v.trim() && !plausiblePhone(v.trim())) {
      throw officeError(
        OfficeErrors.badPhone,
        m(`电话号码无效："${v}"`, `invalid phone number "${v}"`),
        ExitCode.usage,
        m('例如 010-65550000 或 13800010001', 'e.g. 010-65550000 or 13800010001'),
      );
    }
    patch[key] = text(v, 40);
  }
  if (input.email !== undefined) {
    if (input.email.trim() && !plausibleEmail(input.email.trim())) {
      throw officeError(
        OfficeErrors.badEmail,
        m(`电子邮件地址无效："${input.email}"`, `invalid e-mail address "${input.email}"`),
        ExitCode.usage,
        m('例如 bob@example.com', 'e.g. bob@example.com'),
      );
    }
    patch.email = text(input.email, 200);
  }
  if (input.lang !== undefined) {
    if (!['zh', 'en', ''].includes(input.lang.trim())) {
      throw officeError(
        OfficeErrors.badLang,
        m(`语言无效：${input.lang}（zh 或 en）`, `invalid language: ${input.lang} (zh or en)`),
      );
    }
    patch.lang = input.lang.trim() || null;
  }
  return inTransaction(svc, async (tx) => {
    const row = await entryQuery(tx).where('u.name', name).first();
    if (!row) {
      throw officeError(
        'E1401',
        m(`用户不存在：${name}`, `no such user: ${name}`),
        ExitCode.usage,
        m('用 "crm users list" 查看用户', 'see "crm users list"'),
      );
    }
    const before = toEntry(row);
    if (Object.keys(patch).length)
      await tx
        .db('users')
        .where({ id: row.id })
        .update({ ...patch, updated_at: nowIso(tx.clock) });
    const after = toEntry(await entryQuery(tx).where('u.name', name).first());
    await audit(tx, { action: 'users.edit', entity: 'user', entityId: name, before, after });
    return after;
  });
}
