import path from 'node:path';
import type { Command } from 'commander';
import { act, group, intOption, type Opts, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { setExitCode } from '../../cli/main.js';
import { printJson, renderRows } from '../../cli/output.js';
import { dataDir } from '../../config/paths.js';
import { businessDate } from '../../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { formatYuan, yuanString } from '../../domain/money.js';
import type { FileEncoding } from '../../domain/settlement/clearing-file.js';
import type { ReportModel } from '../../reports/model.js';
import { renderPrint } from '../../reports/render/print.js';
import { classificationModel, summaryModel, withKindLabels } from '../../reports/settlement-lists.js';
import type { ServiceContext } from '../../services/context.js';
import { KIND_LABEL, STATUS_LABEL } from '../../services/settlement/common.js';
import type { ClearResult, DayState, SummaryList } from '../../services/settlement/index.js';
import { importFlags } from '../import-options.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadImportCli = () => import('../../io/import/cli.js');
const loadSettlement = () => import('../../services/settlement/index.js');

const LIST_FORMATS = ['table', 'tsv', 'csv', 'json', 'print'] as const;

const STATE_LABEL: Record<DayState, L10n> = {
  not_opened: m('未启动', 'not opened'),
  open: m('营业中', 'open'),
  cut_off: m('已截止', 'cut off'),
  cleared: m('已清算', 'cleared'),
};

async function dateOrToday(_ctx: CliContext, svc: ServiceContext, value: unknown): Promise<string> {
  if (typeof value === 'string' && value !== 'today') return value;
  return businessDate(svc.clock.now(), await svc.settings.get<string>('timezone'));
}

function clearJson(r: ClearResult) {
  return {
    date: r.date,
    pendingDate: r.pendingDate,
    files: r.files,
    cleared: r.cleared,
    skipped: r.skipped,
    rerunOf: r.rerunOf,
  };
}

function printClear(ctx: CliContext, r: ClearResult): void {
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
  for (const s of r.skipped) {
    ctx.note(m('无 {kind} 文件：{reason}', 'no {kind} file: {reason}'), { kind: s.kind, reason: s.reason });
  }
}

/** One list in the chosen format; JSON keeps the contract names (amounts as yuan strings). */
async function renderList(
  ctx: CliContext,
  svc: ServiceContext,
  model: ReportModel,
  json: unknown,
  opts: Opts,
): Promise<void> {
  const format = ctx.format([...LIST_FORMATS]);
  if (format === 'json') return printJson(ctx, json);
  const { rows } = withKindLabels(model, ctx.lang);
  if (format === 'print') {
    const pageLines =
      (opts.pageLines as number | undefined) ?? (await svc.settings.get<number>('settlement.pageLines'));
    ctx.io.stdout.write(renderPrint({ ...model, rows }, { lang: ctx.lang, pageLines }));
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

/** `--out-dir` (relative to the working directory), and `<data dir>/clearing` for when nothing is configured. */
function outDirs(ctx: CliContext, opts: Opts): { outDir?: string; defaultOutDir: string } {
  return {
    outDir: opts.outDir ? path.resolve(ctx.cwd, String(opts.outDir)) : undefined,
    defaultOutDir: path.join(dataDir(ctx.env), 'clearing'),
  };
}

export function registerSettlement(program: Command, ctx: CliContext): Command {
  const cmd = group(
    program,
    ctx,
    'settlement',
    {
      zh: '清算：营业日、交易导入、重空登记簿、qs/tk 清算文件、汇总清单',
      en: 'settlement: the business day, transaction feeds, vouchers, qs/tk clearing files, summary lists',
    },
    [
      'crm settlement status',
      'crm settlement open --date 2026-11-23',
      'crm settlement cutoff --date 2026-11-23',
      'crm settlement clear --date 2026-11-24 --json',
    ],
  );

  importFlags(
    verb(
      cmd,
      ctx,
      'import <file>',
      m(
        '导入银行交易流水（CSV，UTF-8 或 GBK，中英文表头）',
        'import a bank feed of transactions (CSV, UTF-8 or GBK, Chinese or English headers)',
      ),
      ['crm settlement import fixtures/feed-demo.csv', 'crm settlement import feed.csv --dry-run --errors rejects.csv'],
    ),
    ctx,
  ).action(
    act<[string]>(ctx, async (file, opts) => {
      const { runImportCommand } = await loadImportCli();
      const { feedSpec } = await loadSettlement();
      const svc = await ctx.services();
      await runImportCommand(ctx, svc, feedSpec(), path.resolve(ctx.cwd, file), opts);
    }),
  );

  verb(
    cmd,
    ctx,
    'open',
    m('启动财政划拨服务：营业日开始接收交易', 'start of service: open the business day for transactions'),
    [
      'crm settlement open --date 2026-11-23',
      'crm settlement open --date 2007-09-22 --force --reason "总中心周末开机维护"',
    ],
  )
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .option('--force', ctx.t(m('非工作日强制启动（须 --reason）', 'open a day off (needs --reason)')))
    .option('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(
      act(ctx, async (opts) => {
        const { openDay } = await loadSettlement();
        const svc = await ctx.services();
        const date = await dateOrToday(ctx, svc, opts.date);
        const r = await openDay(svc, { date, force: Boolean(opts.force), reason: opts.reason });
        if (ctx.json) return printJson(ctx, r);
        ctx.out(
          r.status === 'done'
            ? ctx.t(m('{date} 已启动{forced}', '{date} opened{forced}'), {
                date,
                forced: r.forced ? ctx.t(m('（强制）', ' (forced)')) : '',
              })
            : ctx.t(m('{date} 已处于“{state}”状态，无需启动', '{date} is already {state}; nothing to do'), {
                date,
                state: ctx.t(STATE_LABEL[r.state]),
              }),
        );
      }),
    );

  verb(
    cmd,
    ctx,
    'cutoff',
    m('停止财政划拨服务：截止后该日不再接收交易', 'cutoff: the day takes no more transactions'),
    ['crm settlement cutoff --date 2026-11-23', 'crm settlement cutoff --date 2026-11-20 --force'],
  )
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .option('--force', ctx.t(m('未启动的日子一并启动并截止（补做）', 'open and cut off in one step (catch-up)')))
    .action(
      act(ctx, async (opts) => {
        const { cutoffDay } = await loadSettlement();
        const svc = await ctx.services();
        const date = await dateOrToday(ctx, svc, opts.date);
        const r = await cutoffDay(svc, { date, force: Boolean(opts.force) });
        if (ctx.json) {
          const { pendingTotalFen, ...rest } = r;
          return printJson(ctx, { ...rest, pendingTotal: yuanString(pendingTotalFen ?? 0) });
        }
        ctx.out(
          ctx.t(
            r.status === 'done'
              ? m('{date} 已截止：待清算 {n} 笔，{total} 元', '{date} cut off: {n} pending, {total} yuan')
              : m(
                  '{date} 已截止过（{state}）：待清算 {n} 笔，{total} 元',
                  '{date} was already {state}: {n} pending, {total} yuan',
                ),
            {
              date,
              state: ctx.t(STATE_LABEL[r.state]),
              n: r.pendingCount ?? 0,
              total: formatYuan(r.pendingTotalFen ?? 0),
            },
          ),
        );
      }),
    );

  verb(
    cmd,
    ctx,
    'clear',
    m(
      '清单数据下载（T+1）：清算待清算日期的交易，生成 qs（划款）与 tk（退款）文件',
      'clearing (T+1): clear the pending transactions of the pending date into qs (payments) and tk (refunds) files',
    ),
    [
      'crm settlement clear --date 2026-11-24',
      'crm settlement clear --date 2007-09-24 --pending-date 2007-09-22 --out-dir /srv/clearing',
      'crm settlement clear --date 2026-11-24 --rerun --reason "文件传输失败重做"',
    ],
  )
    .option('--date <date>', ctx.t(m('凭证日期 D（默认今天）', 'voucher date D (default: today)')))
    .option(
      '--pending-date <date>',
      ctx.t(m('待清算日期 P（默认 D 的上一工作日）', 'pending date P (default: previous working day)')),
    )
    .option('--out-dir <dir>', ctx.t(m('文件目录（默认 settlement.outDir 或数据目录 clearing/）', 'output directory')))
    .option(
      '--rerun',
      ctx.t(m('重做已完成的清算（旧文件标记作废，须 --reason）', 'redo a completed clearing (needs --reason)')),
    )
    .option('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(
      act(ctx, async (opts) => {
        const { clearDay } = await loadSettlement();
        const svc = await ctx.services();
        const date = await dateOrToday(ctx, svc, opts.date);
        const r = await clearDay(svc, {
          date,
          pendingDate: opts.pendingDate,
          ...outDirs(ctx, opts),
          rerun: Boolean(opts.rerun),
          reason: opts.reason,
        });
        printClear(ctx, r);
      }),
    );

  const vouchers = group(
    cmd,
    ctx,
    'vouchers',
    m('重空登记簿：凭证号段登记、查询、作废', 'voucher register: add ranges, list, void'),
  );
  verb(vouchers, ctx, 'add', m('登记凭证号段', 'register a range of voucher numbers'), [
    'crm settlement vouchers add --kind payment --from 00000001 --to 00000100',
  ])
    .requiredOption('--kind <kind>', 'payment | refund')
    .requiredOption('--from <number>', ctx.t(m('起始号（保留前导零）', 'first number (leading zeros kept)')))
    .requiredOption('--to <number>', ctx.t(m('终止号', 'last number')))
    .action(
      act(ctx, async (opts) => {
        const { addVoucherRange } = await loadSettlement();
        const svc = await ctx.services();
        const r = await addVoucherRange(svc, { kind: opts.kind, from: opts.from, to: opts.to });
        if (ctx.json) return printJson(ctx, r);
        ctx.out(
          ctx.t(m('已登记{kind}凭证 {from}-{to}，共 {n} 张', 'registered {kind} vouchers {from}-{to}: {n}'), {
            kind: ctx.t(KIND_LABEL[r.kind]),
            from: r.from,
            to: r.to,
            n: r.added,
          }),
        );
      }),
    );
  verb(vouchers, ctx, 'list', m('列出凭证', 'list vouchers'), [
    'crm settlement vouchers list --kind refund --status unused',
  ])
    .option('--kind <kind>', 'payment | refund')
    .option('--status <status>', 'unused | used | void')
    .action(
      act(ctx, async (opts) => {
        const { listVouchers } = await loadSettlement();
        const svc = await ctx.services();
        const rows = await listVouchers(svc, { kind: opts.kind, status: opts.status });
        renderRows(
          ctx,
          [
            { key: 'kind', label: m('类型', 'kind') },
            { key: 'number', label: m('凭证编号', 'number') },
            { key: 'status', label: m('状态', 'status') },
            { key: 'file', label: m('文件', 'file') },
            { key: 'usedAt', label: m('使用时间', 'used at') },
            { key: 'voidReason', label: m('作废原因', 'void reason') },
          ],
          rows,
          { empty: m('没有凭证', 'no vouchers') },
        );
      }),
    );
  verb(vouchers, ctx, 'void <number>', m('作废未使用的凭证', 'void an unused voucher'), [
    'crm settlement vouchers void 00000007 --reason "打印损坏"',
  ])
    .option('--kind <kind>', 'payment | refund')
    .requiredOption('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { voidVoucher } = await loadSettlement();
        const svc = await ctx.services();
        const r = await voidVoucher(svc, { number, reason: opts.reason, kind: opts.kind });
        if (ctx.json) return printJson(ctx, r);
        ctx.out(
          ctx.t(m('已作废{kind}凭证 {n}', 'voided {kind} voucher {n}'), {
            kind: ctx.t(KIND_LABEL[r.kind]),
            n: r.number,
          }),
        );
      }),
    );

  const summary = group(cmd, ctx, 'summary', m('财政拨付划款汇总清单', 'the summary list (财政拨付划款汇总清单)'));
  verb(
    summary,
    ctx,
    'generate',
    m('生成（或重新生成）汇总清单快照', 'generate (or regenerate) a summary list snapshot'),
    ['crm settlement summary generate --date 2026-11-23 --status pending'],
  )
    .requiredOption('--date <date>', ctx.t(m('日期', 'date')))
    .requiredOption('--status <status>', 'pending | cleared')
    .action(
      act(ctx, async (opts) => {
        const { generateSummary } = await loadSettlement();
        const svc = await ctx.services();
        const s = await generateSummary(svc, { date: opts.date, status: opts.status });
        if (ctx.json) return printJson(ctx, summaryJson(s));
        ctx.out(
          ctx.t(
            m(
              '已生成 {date} {status} 汇总清单：{rows} 行，{count} 笔，{total} 元',
              'generated the {status} list of {date}: {rows} rows, {count} transactions, {total} yuan',
            ),
            {
              date: s.date,
              status: ctx.t(STATUS_LABEL[s.status]),
              rows: s.rows.length,
              count: s.count,
              total: formatYuan(s.totalFen),
            },
          ),
        );
      }),
    );
  verb(
    summary,
    ctx,
    'show',
    m('查询汇总清单（按类型、一级单位）', 'show a summary list (by kind, by first-level unit)'),
    [
      'crm settlement summary show --date 2026-11-23 --status pending --kind payment',
      'crm settlement summary show --date 2026-11-23 --status cleared --format print',
    ],
  )
    .requiredOption('--date <date>', ctx.t(m('日期', 'date')))
    .requiredOption('--status <status>', 'pending | cleared')
    .option('--kind <kind>', 'payment | refund')
    .option('--unit <code>', ctx.t(m('一级单位编码', 'first-level unit code')))
    .option('--page-lines <n>', ctx.t(m('打印每页行数', 'lines per printed page')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { showSummary } = await loadSettlement();
        const svc = await ctx.services();
        const s = await showSummary(svc, { date: opts.date, status: opts.status, kind: opts.kind, unit: opts.unit });
        await renderList(ctx, svc, summaryModel(s, opts.kind), summaryJson(s), opts);
      }),
    );

  verb(cmd, ctx, 'classify', m('清算分类统计表（按账户分类）', 'classification table by account class'), [
    'crm settlement classify --date 2026-11-23 --status pending',
    'crm settlement classify --date 2026-11-23 --status cleared --account-class 财政授权支付 --format print',
  ])
    .requiredOption('--date <date>', ctx.t(m('日期', 'date')))
    .requiredOption('--status <status>', 'pending | cleared')
    .option('--account-class <class>', ctx.t(m('账户分类', 'account class')))
    .option('--page-lines <n>', ctx.t(m('打印每页行数', 'lines per printed page')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { classify } = await loadSettlement();
        const svc = await ctx.services();
        const t = await classify(svc, { date: opts.date, status: opts.status, accountClass: opts.accountClass });
        const json = {
          date: t.date,
          status: t.status,
          rows: t.rows.map((r) => ({
            accountClass: r.accountClass,
            kind: r.kind,
            count: r.count,
            total: yuanString(r.totalFen),
          })),
          count: t.count,
          total: yuanString(t.totalFen),
        };
        await renderList(ctx, svc, classificationModel(t), json, opts);
      }),
    );

  verb(cmd, ctx, 'status', m('营业日状态与下一步', "the day's state and the next step"), [
    'crm settlement status --date 2026-11-23 --json',
  ])
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .action(
      act(ctx, async (opts) => {
        const { dayStatus } = await loadSettlement();
        const svc = await ctx.services();
        const s = await dayStatus(svc, await dateOrToday(ctx, svc, opts.date));
        const json = {
          date: s.date,
          state: s.state,
          forced: s.forced,
          openedAt: s.openedAt,
          cutOffAt: s.cutOffAt,
          clearedAt: s.clearedAt,
          pending: { count: s.pending.count, total: yuanString(s.pending.totalFen), late: s.pending.late },
          cleared: {
            count: s.cleared.count,
            total: yuanString(s.cleared.totalFen),
            pendingDate: s.cleared.pendingDate,
          },
          files: s.files,
          vouchersLeft: s.vouchersLeft,
          nextStep: s.nextStep,
        };
        if (ctx.json) return printJson(ctx, json);
        ctx.out(`${s.date}  ${ctx.t(STATE_LABEL[s.state])}${s.forced ? ctx.t(m('（强制启动）', ' (forced)')) : ''}`);
        ctx.out(
          ctx.t(
            m('本日待清算：{n} 笔，{t} 元（其中迟到 {late} 笔）', 'pending for this day: {n}, {t} yuan ({late} late)'),
            {
              n: s.pending.count,
              t: formatYuan(s.pending.totalFen),
              late: s.pending.late,
            },
          ),
        );
        ctx.out(
          ctx.t(
            m('本日已清算：{n} 笔，{t} 元（待清算日期 {p}）', 'cleared on this day: {n}, {t} yuan (pending date {p})'),
            {
              n: s.cleared.count,
              t: formatYuan(s.cleared.totalFen),
              p: s.cleared.pendingDate ?? '-',
            },
          ),
        );
        for (const f of s.files) ctx.out(`  ${f.name}  ${f.voucher}  ${f.count}  ${f.total}`);
        ctx.out(
          ctx.t(m('剩余凭证：划款 {p} 张，退款 {r} 张', 'vouchers left: {p} payment, {r} refund'), {
            p: s.vouchersLeft.payment,
            r: s.vouchersLeft.refund,
          }),
        );
        ctx.out(`${ctx.t(m('下一步', 'next step'))}: ${s.nextStep}`);
      }),
    );

  verb(
    cmd,
    ctx,
    'day',
    m(
      '补做一整天：启动、早间清单、截止、清算、清单（已完成的步骤跳过）',
      'run the whole day in order (catch-up); steps already done are skipped',
    ),
    ['crm settlement day --date 2026-11-24'],
  )
    .requiredOption('--date <date>', ctx.t(m('营业日', 'business day')))
    .option('--pending-date <date>', ctx.t(m('待清算日期', 'pending date')))
    .option('--out-dir <dir>', ctx.t(m('文件目录', 'output directory')))
    .action(
      act(ctx, async (opts) => {
        const { runDay } = await loadSettlement();
        const svc = await ctx.services();
        const r = await runDay(svc, { date: opts.date, pendingDate: opts.pendingDate, ...outDirs(ctx, opts) });
        if (ctx.json) return printJson(ctx, { ...r, clear: r.clear ? clearJson(r.clear) : null });
        for (const s of r.steps) ctx.out(`${s.status === 'done' ? '✓' : '-'} ${s.step}: ${s.detail}`);
        if (r.clear) printClear(ctx, r.clear);
      }),
    );

  verb(
    cmd,
    ctx,
    'verify <file>',
    m('校验清算文件：格式、表头合计、数据库记录', 'verify a clearing file: format, header totals, database record'),
    ['crm settlement verify ~/.local/share/crm/clearing/qs11242026000001.txt --json'],
  )
    .option('--encoding <enc>', 'gbk | utf8')
    .action(
      act<[string]>(ctx, async (file, opts) => {
        const { verifyFile } = await loadSettlement();
        const svc = await ctx.services();
        let encoding: FileEncoding | undefined;
        if (opts.encoding) {
          const e = String(opts.encoding).toLowerCase().replace('-', '');
          if (e !== 'gbk' && e !== 'utf8') {
            throw new CrmError(
              'E7142',
              { zh: `未知编码：${opts.encoding}`, en: `unknown encoding: ${opts.encoding}` },
              ExitCode.usage,
            );
          }
          encoding = e;
        }
        const r = await verifyFile(svc, path.resolve(ctx.cwd, file), { encoding, lang: ctx.lang });
        if (!r.ok) setExitCode(ctx, ExitCode.error);
        if (ctx.json) return printJson(ctx, r);
        if (r.ok) {
          ctx.out(
            ctx.t(
              m(
                '{file} 校验通过：{kind} 凭证 {v}，{rows} 行，{count} 笔，{total} 元',
                '{file} ok: {kind} voucher {v}, {rows} rows, {count} transactions, {total} yuan',
              ),
              {
                file: r.file,
                kind: r.kind ?? '',
                v: r.voucher ?? '',
                rows: r.rows ?? 0,
                count: r.count ?? 0,
                total: r.total ?? '',
              },
            ),
          );
          return;
        }
        ctx.out(ctx.t(m('{file} 校验失败：', '{file} FAILED:'), { file: r.file }));
        for (const p of r.problems) {
          ctx.out(
            `  ${p.line > 0 ? ctx.t(m('第 {n} 行', 'line {n}'), { n: p.line }) : ctx.t(m('文件', 'file'))}${p.field ? ` [${p.field}]` : ''}: ${p.message}`,
          );
        }
      }),
    );

  return cmd;
}

function summaryJson(s: SummaryList) {
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
