import { CrmError, ExitCode } from '../../domain/errors.js';
import { type ExportOptions, exportCsv } from '../../io/export/index.js';
import { exportHeaders } from '../../io/import/headers.js';
import type { ServiceContext } from '../context.js';
import { type ListQuery, listQuery } from './customers.js';
import { CUSTOMER_COLUMNS } from './import.js';

export const EXPORT_COLUMNS = CUSTOMER_COLUMNS.map((c) => c.key);

/** `crm customers export`: the list filters, streamed in pages; the file re-imports unchanged. */
export async function exportCustomers(
  svc: ServiceContext,
  q: ListQuery,
  opts: ExportOptions & { columns?: string[]; headerLang?: 'zh' | 'en' },
): Promise<number> {
  const columns = opts.columns?.length ? opts.columns : EXPORT_COLUMNS;
  const bad = columns.filter((c) => !EXPORT_COLUMNS.includes(c));
  if (bad.length) {
    throw new CrmError(
      'E3140',
      {
        zh: `未知的列：${bad.join(', ')}`,
        en: `unknown column(s): ${bad.join(', ')} (known: ${EXPORT_COLUMNS.join(', ')})`,
      },
      ExitCode.usage,
    );
  }
  const { query: base } = await listQuery(svc, q);
  async function* pages() {
    const size = 2000;
    for (let offset = 0; ; offset += size) {
      const rows: Record<string, unknown>[] = await base.clone().limit(size).offset(offset);
      if (!rows.length) return;
      const ids = rows.map((r) => Number(r.id));
      const contacts = new Map<number, Record<string, unknown>>();
      const ks: Record<string, unknown>[] = await svc
        .db('contacts')
        .whereIn('customer_id', ids)
        .orderBy([{ column: 'is_primary', order: 'desc' }, 'id']);
      for (const k of ks) if (!contacts.has(Number(k.customer_id))) contacts.set(Number(k.customer_id), k);
      yield rows.map((r) => {
        const k = contacts.get(Number(r.id));
        const v: Record<string, unknown> = {
          ...r,
          parent_code: r.parent_code,
          owner: r.owner_name,
          contact_name: k?.name,
          contact_phone: k ? (k.mobile ?? k.phone) : null,
          contact_email: k?.email,
        };
        return columns.map((c) => (v[c] == null ? '' : String(v[c])));
      });
      if (rows.length < size) return;
    }
  }
  return exportCsv(opts, exportHeaders(CUSTOMER_COLUMNS, columns, opts.headerLang ?? 'en'), pages());
}
