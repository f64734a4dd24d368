import type { Command } from 'commander';
import { act, group, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { formatYuan, parseYuan, yuanString } from '../../domain/money.js';
import { parseFileEncoding } from '../../io/encoding.js';
import type { CategoryRecord, ProductRecord } from '../../services/orders/products.js';
import { importFlags, parseImportFlags } from '../import-options.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadImportCli = () => import('../import-command.js');
const loadOrdersProducts = () => import('../../services/orders/products.js');
const loadOrdersProductsIo = () => import('../../services/orders/products-io.js');

export function productJson(p: ProductRecord) {
  return {
    code: p.code,
    name: p.name,
    category: p.category,
    unit: p.unit,
    price: yuanString(p.priceFen),
    onSale: p.onSale,
  };
}

const columns: Column<ProductRecord>[] = [
  { key: 'code', label: m('编码', 'code') },
  { key: 'name', label: m('名称', 'name') },
  { key: 'category', label: m('分类', 'category') },
  { key: 'unit', label: m('单位', 'unit') },
  { key: 'price', label: m('单价', 'price'), align: 'right', value: (p) => yuanString(p.priceFen) },
  { key: 'onSale', label: m('在售', 'on sale') },
];

function printProduct(ctx: CliContext, p: ProductRecord): void {
  renderDetails(
    ctx,
    [
      [m('编码', 'code'), p.code],
      [m('名称', 'name'), p.name],
      [m('分类', 'category'), p.category],
      [m('单位', 'unit'), p.unit],
      [m('单价', 'price'), formatYuan(p.priceFen)],
      [m('在售', 'on sale'), p.onSale ? ctx.t(m('是', 'yes')) : ctx.t(m('否', 'no'))],
      [m('更新时间', 'updated'), p.updatedAt],
    ],
    productJson(p),
  );
}

export function registerProducts(program: Command, ctx: CliContext): Command {
  const products = group(program, ctx, 'products', m('产品目录与分类', 'product catalogue and categories'), [
    'crm products add P-100 --name "服务器" --price 45000 --unit 台 --category 硬件/服务器',
    'crm products list --category 硬件',
  ]);

  verb(products, ctx, 'add <code>', m('添加产品（经理或管理员）', 'add a product (managers and admins)'), [
    'crm products add S-200 --name "年度维保" --price 12,000.00 --unit 年 --category 服务',
  ])
    .requiredOption('--name <text>', ctx.t(m('名称', 'name')))
    .requiredOption('--price <yuan>', ctx.t(m('单价（元）', 'list price in yuan')))
    .option('--unit <unit>', ctx.t(m('单位', 'unit')))
    .option(
      '--category <path>',
      ctx.t(m('分类路径（不存在则创建），如 硬件/服务器', 'category path (created if new), e.g. Hardware/Servers')),
    )
    .option('--off-sale', ctx.t(m('添加为停售', 'add it as off sale')))
    .action(
      act<[string]>(ctx, async (code, opts) => {
        const { addProduct } = await loadOrdersProducts();
        const svc = await ctx.services();
        const p = await addProduct(svc, {
          code,
          name: String(opts.name),
          priceFen: parseYuan(String(opts.price), { field: '--price' }),
          unit: opts.unit ?? null,
          category: opts.category ?? null,
          onSale: !opts.offSale,
        });
        if (ctx.json) return printJson(ctx, productJson(p));
        ctx.out(
          ctx.t(m('已添加产品 {code}（{price} 元）', 'added product {code} ({price} yuan)'), {
            code: p.code,
            price: formatYuan(p.priceFen),
          }),
        );
      }),
    );

  verb(products, ctx, 'list', m('列出产品', 'list products'))
    .option('--category <path>', ctx.t(m('分类（含子分类）', 'category (with its subcategories)')))
    .option('--on-sale', ctx.t(m('只列在售', 'only products on sale')))
    .option('--off-sale', ctx.t(m('只列停售', 'only products off sale')))
    .option('--search <text>', ctx.t(m('编码或名称包含', 'code or name contains')))
    .action(
      act(ctx, async (opts) => {
        const { listProducts } = await loadOrdersProducts();
        const svc = await ctx.services();
        const rows = await listProducts(svc, {
          category: opts.category,
          onSale: opts.onSale ? true : opts.offSale ? false : undefined,
          search: opts.search,
        });
        renderRows(ctx, columns, rows, { json: rows.map(productJson), empty: m('没有产品', 'no products') });
      }),
    );

  verb(products, ctx, 'show <code>', m('显示一个产品', 'show one product')).action(
    act<[string]>(ctx, async (code) => {
      const { showProduct } = await loadOrdersProducts();
      printProduct(ctx, await showProduct(await ctx.services(), code));
    }),
  );

  verb(products, ctx, 'edit <code>', m('修改产品', 'change a product'), ['crm products edit P-100 --price 43,500'])
    .option('--name <text>', ctx.t(m('名称', 'name')))
    .option('--price <yuan>', ctx.t(m('单价（元）', 'list price in yuan')))
    .option('--unit <unit>', ctx.t(m('单位', 'unit')))
    .option('--category <path>', ctx.t(m('分类路径（空字符串清除）', 'category path ("" clears it)')))
    .action(
      act<[string]>(ctx, async (code, opts) => {
        const { editProduct } = await loadOrdersProducts();
        const svc = await ctx.services();
        const p = await editProduct(svc, {
          code,
          name: opts.name,
          priceFen: opts.price === undefined ? undefined : parseYuan(String(opts.price), { field: '--price' }),
          unit: opts.unit,
          category: opts.category === undefined ? undefined : String(opts.category) || null,
        });
        printProduct(ctx, p);
      }),
    );

  for (const [name, onSale, desc] of [
    ['enable', true, m('上架（可下单）', 'put on sale (orderable)')],
    ['disable', false, m('停售（已有订单不受影响）', 'take off sale (existing orders are unaffected)')],
  ] as const) {
    verb(products, ctx, `${name} <code>`, desc).action(
      act<[string]>(ctx, async (code) => {
        const { setOnSale } = await loadOrdersProducts();
        printProduct(ctx, await setOnSale(await ctx.services(), code, onSale));
      }),
    );
  }

  importFlags(
    verb(
      products,
      ctx,
      'import <file>',
      m(
        '从 CSV 导入产品（按编码新增或更新；与客户导入同一引擎）。退出码：0 全部成功，6 有被拒绝的行，7 文件无法读取',
        'import products from CSV (insert or update by code; the same engine as the customers import). Exit: 0 all good, 6 rows rejected, 7 unreadable',
      ),
      [
        'crm products import fixtures/products-demo.csv --errors rejected.csv',
        'crm products import 产品.csv --encoding gbk --dry-run',
      ],
    ),
    ctx,
  ).action(
    act<[string]>(ctx, async (file, opts) => {
      const { runImportCommand } = await loadImportCli();
      const { importProducts } = await loadOrdersProductsIo();
      const svc = await ctx.services();
      return runImportCommand(ctx, file, parseImportFlags(opts), (o) => importProducts(svc, o));
    }),
  );

  verb(products, ctx, 'export', m('导出产品为 CSV（可原样再导入）', 'export products to CSV (re-imports unchanged)'), [
    'crm products export --out products.csv --bom',
  ])
    .requiredOption('--out <file>', ctx.t(m('输出文件', 'output file')))
    .option('--encoding <enc>', 'utf8 | gbk', 'utf8')
    .option('--bom', ctx.t(m('写 UTF-8 BOM（Excel 友好）', 'write a UTF-8 BOM (for Excel)')))
    .option('--force', ctx.t(m('覆盖已有文件', 'overwrite an existing file')))
    .action(
      act(ctx, async (opts) => {
        const { exportProducts } = await loadOrdersProductsIo();
        const encoding = parseFileEncoding(opts.encoding);
        const n = await exportProducts(await ctx.services(), {
          out: String(opts.out),
          encoding,
          bom: Boolean(opts.bom),
          force: Boolean(opts.force),
          headerLang: ctx.lang,
        });
        if (ctx.json) {
          printJson(ctx, { file: String(opts.out), rows: n });
          return;
        }
        ctx.out(
          ctx.t(m('已导出 {n} 个产品到 {file}', 'exported {n} products to {file}'), { n, file: String(opts.out) }),
        );
      }),
    );

  const categories = verb(products, ctx, 'categories', m('产品分类树', 'the product category tree'), [
    'crm products categories add 硬件/服务器',
    'crm products categories list',
  ]);
  const catColumns: Column<CategoryRecord>[] = [
    { key: 'path', label: m('分类', 'category') },
    { key: 'name', label: m('名称', 'name') },
    { key: 'parent', label: m('上级', 'parent') },
    { key: 'products', label: m('产品数', 'products'), align: 'right' },
  ];
  verb(categories, ctx, 'add <path>', m('添加分类（上级自动创建）', 'add a category (parents are created)')).action(
    act<[string]>(ctx, async (path) => {
      const { addCategory } = await loadOrdersProducts();
      const c = await addCategory(await ctx.services(), path);
      if (ctx.json) return printJson(ctx, c);
      ctx.out(ctx.t(m('已添加分类 {path}', 'added category {path}'), { path: c.path }));
    }),
  );
  verb(categories, ctx, 'list', m('列出分类树', 'list the category tree')).action(
    act(ctx, async () => {
      const { listCategories } = await loadOrdersProducts();
      const rows = await listCategories(await ctx.services());
      if (ctx.format() === 'table' && !ctx.json) {
        if (!rows.length) return ctx.note(m('没有分类', 'no categories'));
        for (const c of rows) {
          const depth = c.path.split('/').length - 1;
          ctx.out(`${'  '.repeat(depth)}${c.name} (${c.products})`);
        }
        return;
      }
      renderRows(ctx, catColumns, rows);
    }),
  );
  verb(categories, ctx, 'remove <path>', m('删除空分类', 'remove an empty category')).action(
    act<[string]>(ctx, async (path) => {
      const { removeCategory } = await loadOrdersProducts();
      await removeCategory(await ctx.services(), path);
      ctx.out(ctx.t(m('已删除分类 {path}', 'removed category {path}'), { path }));
    }),
  );
  return products;
}
