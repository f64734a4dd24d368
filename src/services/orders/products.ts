import type { Knex } from 'knex';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { isUniqueViolation, OrderErrors, orderError, type Row } from './common.js';

export interface ProductRecord {
  id: number;
  code: string;
  name: string;
  category: string | null;
  unit: string | null;
  priceFen: number;
  onSale: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CategoryRecord {
  id: number;
  name: string;
  path: string;
  parent: string | null;
  products: number;
}

const PRODUCT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;

export function checkProductCode(code: string): string {
  const c = code.trim();
  if (!PRODUCT_CODE.test(c)) {
    throw orderError(
      OrderErrors.badProductCode,
      m(
        `产品编码无效："${code}"（1–64 位字母、数字或 _.-/，不含冒号）`,
        `invalid product code "${code}" (1-64 letters, digits or _.-/, no colon)`,
      ),
    );
  }
  return c;
}

const writeWhat = m('维护产品目录', 'maintain the product catalogue');

/** Products are a shared catalogue: managers and admins maintain it; everyone with crm.read reads it. */
function requireCatalogueWrite(ctx: ServiceContext): void {
  requireCapability(ctx.actor, 'crm.approve', writeWhat);
}

function normalisePath(path: string): string {
  const parts = path
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length || parts.some((p) => p.length > 100)) {
    throw orderError(
      OrderErrors.categoryNotFound,
      m(`分类路径无效："${path}"（例如 硬件/服务器）`, `invalid category path "${path}" (e.g. Hardware/Servers)`),
    );
  }
  return parts.join('/');
}

async function categoryByPath(db: Knex, path: string): Promise<Row | undefined> {
  return db('product_categories').where({ path }).first();
}

/** Find a category by path, creating it and its parents when `create` is set. */
export async function ensureCategory(ctx: ServiceContext, rawPath: string, create: boolean): Promise<number> {
  const path = normalisePath(rawPath);
  const found = await categoryByPath(ctx.db, path);
  if (found) return Number(found.id);
  if (!create) {
    throw orderError(
      OrderErrors.categoryNotFound,
      m(`产品分类不存在：${path}`, `no such product category: ${path}`),
      ExitCode.usage,
      m(
        '用 "crm products categories add PATH" 添加，或 "crm products categories list" 查看',
        'add it with "crm products categories add PATH", or see "crm products categories list"',
      ),
    );
  }
  const parts = path.split('/');
  let parentId: number | null = null;
  for (let i = 0; i < parts.length; i++) {
    const sub = parts.slice(0, i + 1).join('/');
    const row = await categoryByPath(ctx.db, sub);
    if (row) {
      parentId = Number(row.id);
      continue;
    }
    const [id]: number[] = await ctx.db('product_categories').insert({
      name: parts[i],
      parent_id: parentId,
      path: sub,
      created_at: nowIso(ctx.clock),
    });
    parentId = Number(id);
    await audit(ctx, {
      action: 'products.category-add',
      entity: 'product_category',
      entityId: sub,
      after: { path: sub },
    });
  }
  return parentId!;
}

export async function addCategory(ctx: ServiceContext, path: string): Promise<CategoryRecord> {
  requireCatalogueWrite(ctx);
  const norm = normalisePath(path);
  return inTransaction(ctx, async (tx) => {
    if (await categoryByPath(tx.db, norm)) {
      throw orderError(
        OrderErrors.categoryExists,
        m(`产品分类已存在：${norm}`, `product category already exists: ${norm}`),
        ExitCode.conflict,
      );
    }
    await ensureCategory(tx, norm, true);
    return (await listCategories(tx)).find((c) => c.path === norm)!;
  });
}

export async function listCategories(ctx: ServiceContext): Promise<CategoryRecord[]> {
  const rows: Row[] = await ctx.db('product_categories').orderBy('path');
  const counts: { category_id: number; n: unknown }[] = await ctx
    .db('products')
    .whereNotNull('category_id')
    .groupBy('category_id')
    .select('category_id')
    .count({ n: '*' });
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const countOf = new Map(counts.map((c) => [Number(c.category_id), Number(c.n)]));
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    path: String(r.path),
    parent: r.parent_id == null ? null : String(byId.get(Number(r.parent_id))?.path ?? ''),
    products: countOf.get(Number(r.id)) ?? 0,
  }));
}

export async function removeCategory(ctx: ServiceContext, path: string): Promise<void> {
  requireCatalogueWrite(ctx);
  const norm = normalisePath(path);
  await inTransaction(ctx, async (tx) => {
    const row = await categoryByPath(tx.db, norm);
    if (!row) await ensureCategory(tx, norm, false); // throws not found
    const id = Number(row!.id);
    const child = await tx.db('product_categories').where({ parent_id: id }).first('id');
    const used = await tx.db('products').where({ category_id: id }).first('id');
    if (child || used) {
      throw orderError(
        OrderErrors.categoryInUse,
        m(`分类 ${norm} 下还有子分类或产品，不能删除`, `category ${norm} still has subcategories or products`),
        ExitCode.conflict,
        m('先移动或删除其中的产品和子分类', 'move its products and subcategories first'),
      );
    }
    await tx.db('product_categories').where({ id }).delete();
    await audit(tx, {
      action: 'products.category-remove',
      entity: 'product_category',
      entityId: norm,
      before: { path: norm },
    });
  });
}

function toProduct(r: Row, categories: Map<number, string>): ProductRecord {
  return {
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    category: r.category_id == null ? null : (categories.get(Number(r.category_id)) ?? null),
    unit: (r.unit as string | null) ?? null,
    priceFen: Number(r.price_fen),
    onSale: Boolean(r.on_sale),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

async function categoryPaths(db: Knex): Promise<Map<number, string>> {
  const rows: Row[] = await db('product_categories').select('id', 'path');
  return new Map(rows.map((r) => [Number(r.id), String(r.path)]));
}

export async function productRowByCode(db: Knex, code: string): Promise<Row> {
  const row = await db('products').where({ code }).first();
  if (!row) {
    throw orderError(
      OrderErrors.productNotFound,
      m(`产品不存在：${code}`, `no such product: ${code}`),
      ExitCode.usage,
      m('用 "crm products list" 查看产品编码', 'see "crm products list" for product codes'),
    );
  }
  return row;
}

export interface ProductInput {
  code: string;
  name?: string;
  priceFen?: number;
  unit?: string | null;
  category?: string | null;
  onSale?: boolean;
}

export async function addProduct(
  ctx: ServiceContext,
  input: ProductInput & { name: string; priceFen: number },
): Promise<ProductRecord> {
  requireCatalogueWrite(ctx);
  const code = checkProductCode(input.code);
  try {
    return await inTransaction(ctx, async (tx) => {
      if (await tx.db('products').where({ code }).first('id')) throw productExists(code);
      const categoryId = input.category ? await ensureCategory(tx, input.category, true) : null;
      const now = nowIso(tx.clock);
      const [id] = await tx.db('products').insert({
        code,
        name: input.name,
        category_id: categoryId,
        unit: input.unit ?? null,
        price_fen: input.priceFen,
        on_sale: input.onSale ?? true,
        created_at: now,
        updated_at: now,
      });
      const rec = toProduct(await tx.db('products').where({ id }).first(), await categoryPaths(tx.db));
      await audit(tx, { action: 'products.add', entity: 'product', entityId: code, after: rec });
      return rec;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw productExists(code);
    throw err;
  }
}

function productExists(code: string) {
  return orderError(
    OrderErrors.productExists,
    m(`产品已存在：${code}`, `product already exists: ${code}`),
    ExitCode.conflict,
    m('用 "crm products edit" 修改已有产品', 'use "crm products edit" to change it'),
  );
}

export async function editProduct(
  ctx: ServiceContext,
  input: ProductInput,
  action = 'products.edit',
): Promise<ProductRecord> {
  requireCatalogueWrite(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await productRowByCode(tx.db, input.code);
    const before = toProduct(row, await categoryPaths(tx.db));
    const patch: Row = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.priceFen !== undefined) patch.price_fen = input.priceFen;
    if (input.unit !== undefined) patch.unit = input.unit;
    if (input.onSale !== undefined) patch.on_sale = input.onSale;
    if (input.category !== undefined)
      patch.category_id = input.category ? await ensureCategory(tx, input.category, true) : null;
    patch.updated_at = nowIso(tx.clock);
    await tx.db('products').where({ id: row.id }).update(patch);
    const after = toProduct(await tx.db('products').where({ id: row.id }).first(), await categoryPaths(tx.db));
    await audit(tx, { action, entity: 'product', entityId: before.code, before, after });
    return after;
  });
}

export async function showProduct(ctx: ServiceContext, code: string): Promise<ProductRecord> {
  requireCapability(ctx.actor, 'crm.read', m('查看产品', 'read products'));
  return toProduct(await productRowByCode(ctx.db, code), await categoryPaths(ctx.db));
}

export interface ProductFilter {
  category?: string; // a path; includes subcategories
  onSale?: boolean;
  search?: string;
}

export async function listProducts(ctx: ServiceContext, f: ProductFilter = {}): Promise<ProductRecord[]> {
  requireCapability(ctx.actor, 'crm.read', m('查看产品', 'read products'));
  const cats = await categoryPaths(ctx.db);
  const q = ctx.db('products').orderBy('code');
  if (f.category) {
    const path = normalisePath(f.category);
    await ensureCategory(ctx, path, false);
    const ids = [...cats].filter(([, p]) => p === path || p.startsWith(`${path}/`)).map(([id]) => id);
    q.whereIn('category_id', ids);
  }
  if (f.onSale !== undefined) q.where('on_sale', f.onSale);
  if (f.search) q.where((w) => w.where('code', 'like', `%${f.search}%`).orWhere('name', 'like', `%${f.search}%`));
  const rows: Row[] = await q;
  return rows.map((r) => toProduct(r, cats));
}

export function setOnSale(ctx: ServiceContext, code: string, onSale: boolean): Promise<ProductRecord> {
  return editProduct(ctx, { code, onSale }, onSale ? 'products.enable' : 'products.disable');
}
