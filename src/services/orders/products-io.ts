import type { Knex } from 'knex';
import { CrmError } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { parseYuan, yuanString } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import { type ExportOptions, exportCsv } from '../../io/export/index.js';
import { exportHeaders } from '../../io/import/headers.js';
import { type ImportEntry, type ImportSpec, type RowError, runImport } from '../../io/import/index.js';
import { nowIso, type ServiceContext } from '../context.js';
import type { Row } from './common.js';
import { checkProductCode, ensureCategory } from './products.js';

/** One CSV layout for products, shared by import and export: an export re-imports unchanged. */
export const PRODUCT_COLUMNS = [
  { key: 'code', aliases: ['产品编码', '编码', 'product code'], required: true },
  { key: 'name', aliases: ['产品名称', '名称', 'product name'], required: true },
  { key: 'price', aliases: ['单价', '价格', '标价', 'list price', 'price_yuan'], required: true },
  { key: 'unit', aliases: ['单位'] },
  { key: 'category', aliases: ['分类', '产品分类', '类别'] },
  { key: 'on_sale', aliases: ['在售', '上架', 'onSale', 'on sale'] },
];

interface ProductValue {
  code: string;
  name: string;
  priceFen: number;
  unit: string | null;
  category: string | null;
  onSale: boolean;
}

const YES = ['', 'yes', 'y', 'true', '1', '是', '在售', 'on'];
const NO = ['no', 'n', 'false', '0', '否', '停售', 'off'];

/** The products import: upsert by code; categories are created as needed; unchanged rows are skipped. */
export function productsImportSpec(): ImportSpec<ProductValue> {
  return {
    kind: 'products',
    columns: PRODUCT_COLUMNS,
    chunkSize: 500,
    validate(row) {
      const errors: RowError[] = [];
      let code = '';
      try {
        code = checkProductCode(row.code ?? '');
      } catch (err) {
        errors.push({ column: 'code', reason: err instanceof CrmError ? err.messages.en : String(err) });
      }
      const name = row.name ?? '';
      if (!name) errors.push({ column: 'name', reason: 'required' });
      else if (name.length > 200) errors.push({ column: 'name', reason: 'longer than 200 characters' });
      let priceFen = 0;
      try {
        priceFen = parseYuan(row.price ?? '', { field: 'price' });
      } catch (err) {
        errors.push({ column: 'price', reason: err instanceof CrmError ? err.messages.en : String(err) });
      }
      const flag = (row.on_sale ?? '').toLowerCase();
      if (!YES.includes(flag) && !NO.includes(flag)) {
        errors.push({ column: 'on_sale', reason: `expected yes or no, got "${row.on_sale}"` });
      }
      if ((row.unit ?? '').length > 32) errors.push({ column: 'unit', reason: 'longer than 32 characters' });
      if (errors.length) return { ok: false, errors };
      return {
        ok: true,
        value: {
          code,
          name,
          priceFen,
          unit: row.unit || null,
          category: row.category
            ? row.category
                .split('/')
                .map((p) => p.trim())
                .filter(Boolean)
                .join('/') || null
            : null,
          onSale: !NO.includes(flag),
        },
      };
    },
    async writeChunk(w, rows) {
      const tx = w.svc;
      const codes = rows.map((r) => r.value.code);
      const existing = new Map<string, Row>();
      const found: Row[] = await tx.db('products').whereIn('code', codes);
      for (const r of found) existing.set(String(r.code), r);
      const categoryIds = new Map<string, number>();
      const categoryId = async (path: string | null) => {
        if (!path) return null;
        if (!categoryIds.has(path)) categoryIds.set(path, await ensureCategory(tx, path, true));
        return categoryIds.get(path)!;
      };
      const now = nowIso(tx.clock);
      const inserts: Row[] = [];
      let updated = 0;
      let unchanged = 0;
      const seen = new Set<string>();
      for (const { value: v } of rows) {
        const fields = {
          name: v.name,
          price_fen: v.priceFen,
          unit: v.unit,
          category_id: await categoryId(v.category),
          on_sale: v.onSale,
        };
        const before = existing.get(v.code);
        if (!before) {
          if (seen.has(v.code)) {
            unchanged++; // the same code twice in one chunk: the first one wins
            continue;
          }
          seen.add(v.code);
          inserts.push({ code: v.code, ...fields, import_batch_id: w.batchId, created_at: now, updated_at: now });
          continue;
        }
        const same =
          before.name === fields.name &&
          Number(before.price_fen) === fields.price_fen &&
          (before.unit ?? null) === fields.unit &&
          (before.category_id == null ? null : Number(before.category_id)) === fields.category_id &&
          Boolean(Number(before.on_sale)) === fields.on_sale;
        if (same) {
          unchanged++;
          continue;
        }
        await tx
          .db('products')
          .where({ id: before.id as number })
          .update({ ...fields, import_batch_id: w.batchId, updated_at: now });
        updated++;
      }
      // ≤ 500 rows × 9 columns per insert: within SQLite's limits.
      if (inserts.length) await tx.db('products').insert(inserts);
      return { inserted: inserts.length, updated, unchanged };
    },
  };
}

/**
 * The checks of a products import (approvers only) and its spec. Every caller goes through here: importProducts,
 * and the command while it hands a spec to runImportCommand.
 */
export function prepareProductsImport(svc: ServiceContext): ImportSpec<ProductValue> {
  requireCapability(svc.actor, 'crm.approve', m('导入产品目录', 'import the product catalogue'));
  return productsImportSpec();
}

/** `crm products import`: the one entry point (the command and the tests). */
export const importProducts: ImportEntry = async (svc, opts) => runImport(svc, prepareProductsImport(svc), opts);

/** `crm products export`: the same columns as the import, in pages of 500. */
export async function exportProducts(
  ctx: ServiceContext,
  opts: ExportOptions & { headerLang?: 'zh' | 'en' },
): Promise<number> {
  requireCapability(ctx.actor, 'crm.read', m('导出产品', 'export products'));
  const db: Knex = ctx.db;
  async function* pages() {
    let lastId = 0;
    for (;;) {
      const rows: Row[] = await db('products as p')
        .leftJoin('product_categories as c', 'c.id', 'p.category_id')
        .where('p.id', '>', lastId)
        .orderBy('p.id')
        .limit(500)
        .select('p.id', 'p.code', 'p.name', 'p.price_fen', 'p.unit', 'c.path as category', 'p.on_sale');
      if (!rows.length) return;
      lastId = Number(rows.at(-1)!.id);
      yield rows.map((r) => [
        String(r.code),
        String(r.name),
        yuanString(Number(r.price_fen)),
        (r.unit as string | null) ?? '',
        (r.category as string | null) ?? '',
        Number(r.on_sale) ? 'yes' : 'no',
      ]);
    }
  }
  const keys = PRODUCT_COLUMNS.map((c) => c.key);
  return exportCsv(opts, exportHeaders(PRODUCT_COLUMNS, keys, opts.headerLang ?? 'en'), pages());
}
