import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { formatYuan, yuanString } from '../../domain/money.js';
import type { ReportModel } from '../../reports/model.js';
import { renderPrint } from '../../reports/render/print.js';
import { withKindLabels } from '../../reports/settlement-lists.js';
import type { ServiceContext } from '../../services/context.js';
import type { ClearResult, SummaryList } from '../../services/settlement/index.js';

const LIST_FORMATS = ['table', 'tsv', 'csv', 'json', 'print'] as const;

export function clearJson(r: ClearResult) {
  return {
    date: r.date,
    pendingDate: r.pendingDate,
    files: r.files,
    cleared: r.cleared,
    skipped: r.skipped,
    rerunOf: r.rerunOf,
  };
}

/** Why a kind has no file, as people read it (`--json` keeps the English). */
const SKIP_REASON: Record<string, ReturnType<typeof m>> = {
  'no pending payments': m('没有待清算的划款', 'no pending payments'),
  'no pending refunds': m('没有待清算的退款', 'no pending refunds'),
};

export function printClear(ctx: CliContext, r: ClearResult): void {
  if (ctx.json) {
    printJson(ctx, clearJson(r));
    return;
  }
  ctx.out(
    ctx.t(
      m('{date} 清算完成：待清算日期 {p}，清算 {n} 笔', '{date} cleared: pending date {p}, {n} transactions cleared'),
      {
        date: r.date,
        p: r.pendingDate,
        n: r.cleared,
      },
    ),
  );
  renderRows(
    ctx,
    [
      { key: 'name', label: m('文件', 'file') },
      { key: 'voucher', label: m('凭证编号', 'voucher') },
      { key: 'rows', label: m('行数', 'rows'), align: 'right' },
      { key: 'count', label: m('笔数', 'count'), align: 'right' },
      { key: 'total', label: m('金额', 'total'), align: 'right' },
      { key: 'path', label: m('路径', 'path') },
    ],
    r.files,
  );
  for (const f of r.files) {
    for (const copy of f.copies ?? []) {
      ctx.out(ctx.t(m('已复制并校验（SHA-256）：{copy}', 'copied and verified (SHA-256): {copy}'), { copy }));
    }
  }
  for (const s of r.skipped) {
    const reason = SKIP_REASON[s.reason] ? ctx.t(SKIP_REASON[s.reason]!) : s.reason;
    ctx.note(m('无 {kind} 文件：{reason}', 'no {kind} file: {reason}'), { kind: s.kind, reason });
  }
}

/** One list in the chosen format; JSON keeps the contract names (amounts as yuan strings). */
export async function renderList(
  ctx: CliContext,
  svc: ServiceContext,
  model: ReportModel,
  json: unknown,
  pageLines: number | undefined,
): Promise<void> {
  const format = ctx.format([...LIST_FORMATS]);
  if (format === 'json') return printJson(ctx, json);
  const { rows } = withKindLabels(model, ctx.lang);
  if (format === 'print') {
    const lines = pageLines ?? (await svc.settings.get<number>('settlement.pageLines'));
    ctx.io.stdout.write(renderPrint({ ...model, rows }, { lang: ctx.lang, pageLines: lines }));
    return;
  }
  renderRows(
    ctx,
    model.columns.map((c) => ({
      key: c.key,
      label: c.label,
      align: c.kind === 'text' ? ('left' as const) : ('right' as const),
      value: (r: Record<string, unknown>) =>
        c.kind === 'money'
          ? format === 'table'
            ? formatYuan(Number(r[c.key]))
            : yuanString(Number(r[c.key]))
          : (r[c.key] as string),
    })),
    rows,
    { format },
  );
  if (format === 'table') {
    ctx.out(
      ctx.t(m('合计：{count} 笔，{total} 元', 'total: {count} transactions, {total} yuan'), {
        count: Number(model.totals.count),
        total: formatYuan(Number(model.totals.total)),
      }),
    );
  }
}

export function summaryJson(s: SummaryList) {
  return {
    date: s.date,
    status: s.status,
    rows: s.rows.map((r) => ({
      unitCode: r.unitCode,
      unitName: r.unitName,
      kind: r.kind,
      count: r.count,
      total: yuanString(r.totalFen),
    })),
    count: s.count,
    total: yuanString(s.totalFen),
  };
}
