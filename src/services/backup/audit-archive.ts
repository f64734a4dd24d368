import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { chainHash, GENESIS } from '../../db/audit-chain.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';

/**
 * `crm audit archive --before D --out FILE`: move the oldest audit rows (every row up to the last one written
 * before D, so the archive is a prefix of the chain) to a gzip'd JSON file that keeps them verifiable, and make the
 * chain in the database start from the last archived row's hash (`audit_chain.base_hash`). Refused when the rows to
 * archive do not verify (E1621): a tampered range is not quietly moved away. Admins only; audited.
 */
export interface ArchiveResult {
  file: string;
  count: number;
  firstId: number | null;
  lastId: number | null;
  lastHash: string | null;
}

export async function archiveAudit(ctx: ServiceContext, before: string, file: string): Promise<ArchiveResult> {
  requireCapability(ctx.actor, 'users.manage', { zh: '归档审计日志', en: 'archive the audit log' });
  const tmp = `${file}.part-${process.pid}`;
  try {
    return await inTransaction(ctx, async (tx) => {
      await tx
        .db('audit_chain')
        .where({ id: 1 })
        .update({ seq: tx.db.raw('seq + 1') });
      const head = await tx.db('audit_chain').where({ id: 1 }).first('base_hash');
      const last = await tx.db('audit_log').where('at', '<', before).max({ id: 'id' }).first();
      const upTo = Number(last?.id ?? 0);
      if (!upTo) return { file, count: 0, firstId: null, lastId: null, lastHash: null };
      const rows: Record<string, unknown>[] = await tx.db('audit_log').where('id', '<=', upTo).orderBy('id');
      let prev = String(head?.base_hash ?? GENESIS);
      const start = prev;
      for (const row of rows) {
        if (String(row.prev_hash) !== prev || String(row.hash) !== chainHash(prev, row)) {
          throw new CrmError(
            'E1621',
            {
              zh: `审计日志第 ${row.id} 条记录校验失败，不能归档`,
              en: `audit row ${row.id} fails verification; it cannot be archived`,
            },
            ExitCode.error,
            { zh: '先运行 "crm audit verify" 查明原因', en: 'run "crm audit verify" and find out why first' },
          );
        }
        prev = String(row.hash);
      }
      const body = rows.map((r) => JSON.stringify({ ...r, id: Number(r.id) })).join('\n');
      const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
      const firstId = Number(rows[0]!.id);
      const header = {
        crmAuditArchive: 1,
        firstId,
        lastId: upTo,
        prevHash: start,
        lastHash: prev,
        count: rows.length,
        sha256,
      };
      fs.writeFileSync(tmp, zlib.gzipSync(`${JSON.stringify(header)}\n${body}\n`), { mode: 0o600 });
      await tx.db('audit_log').where('id', '<=', upTo).delete();
      await tx.db('audit_chain').where({ id: 1 }).update({ base_id: upTo, base_hash: prev });
      await audit(tx, {
        action: 'audit.archive',
        entity: 'audit_log',
        entityId: `${firstId}-${upTo}`,
        after: { file, before, count: rows.length, firstId, lastId: upTo, lastHash: prev, sha256 },
      });
      fs.renameSync(tmp, file);
      return { file, count: rows.length, firstId, lastId: upTo, lastHash: prev };
    });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Recompute an archive's chain from its recorded start; E1623 (exit 7) names what does not match. */
export async function verifyArchiveFile(
  file: string,
): Promise<{ count: number; firstId: number; lastId: number; lastHash: string }> {
  const bad = (zh: string, en: string) =>
    new CrmError(
      'E1623',
      { zh: `审计归档文件无效：${file}（${zh}）`, en: `the audit archive is not valid: ${file} (${en})` },
      ExitCode.unreadable,
      {
        zh: '换用完好的归档副本',
        en: 'use an intact copy of the archive',
      },
    );
  let text: string;
  try {
    text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  } catch (err) {
    throw bad(`无法读取或解压：${(err as Error).message}`, `cannot read or decompress it: ${(err as Error).message}`);
  }
  const [first, ...rest] = text.replace(/\n$/, '').split('\n');
  let header: {
    crmAuditArchive?: number;
    prevHash: string;
    lastHash: string;
    count: number;
    firstId: number;
    lastId: number;
    sha256: string;
  };
  try {
    header = JSON.parse(first ?? '');
  } catch {
    throw bad('不是审计归档', 'not an audit archive');
  }
  if (header.crmAuditArchive !== 1) throw bad('不是审计归档', 'not an audit archive');
  if (rest.length !== header.count) throw bad('行数不符', 'the row count does not match');
  let prev = header.prevHash;
  for (const line of rest) {
    const row = JSON.parse(line) as Record<string, unknown>;
    if (String(row.prev_hash) !== prev || String(row.hash) !== chainHash(prev, row))
      throw bad(`第 ${row.id} 条记录不符`, `row ${row.id} does not match`);
    prev = String(row.hash);
  }
  if (prev !== header.lastHash) throw bad('链尾不符', 'the chain end does not match');
  return { count: header.count, firstId: header.firstId, lastId: header.lastId, lastHash: header.lastHash };
}
