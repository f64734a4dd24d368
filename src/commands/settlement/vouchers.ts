import type { Command } from 'commander';
import { act, group, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { SETTLEMENT_KIND, VOUCHER_STATUS } from '../../domain/vocabulary.js';
import { KIND_LABEL } from '../../services/settlement/common.js';
import { loadSettlement } from './shared.js';

export interface VoucherAddOptions {
  kind: string;
  from: string;
  to: string;
}

export function parseVoucherAddOptions(_args: string[], raw: RawOptions): VoucherAddOptions {
  return { kind: String(raw.kind), from: String(raw.from), to: String(raw.to) };
}

export async function runVoucherAdd(ctx: CliContext, opts: VoucherAddOptions): Promise<void> {
  const { addVoucherRange } = await loadSettlement();
  const svc = await ctx.services();
  const r = await addVoucherRange(svc, opts);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    ctx.t(m('已登记{kind}凭证 {from}-{to}，共 {n} 张', 'registered {kind} vouchers {from}-{to}: {n}'), {
      kind: ctx.t(KIND_LABEL[r.kind]),
      from: r.from,
      to: r.to,
      n: r.added,
    }),
  );
}

export interface VoucherListOptions {
  kind?: string;
  status?: string;
}

export function parseVoucherListOptions(_args: string[], raw: RawOptions): VoucherListOptions {
  return { kind: stringOption(raw, 'kind'), status: stringOption(raw, 'status') };
}

export async function runVoucherList(ctx: CliContext, opts: VoucherListOptions): Promise<void> {
  const { listVouchers } = await loadSettlement();
  const svc = await ctx.services();
  const rows = await listVouchers(svc, opts);
  renderRows(
    ctx,
    [
      { key: 'kind', label: m('类型', 'kind'), words: SETTLEMENT_KIND },
      { key: 'number', label: m('凭证编号', 'number') },
      { key: 'status', label: m('状态', 'status'), words: VOUCHER_STATUS },
      { key: 'file', label: m('文件', 'file') },
      { key: 'usedAt', label: m('使用时间', 'used at'), time: true },
      { key: 'voidReason', label: m('作废原因', 'void reason') },
    ],
    rows,
    { empty: m('没有凭证', 'no vouchers') },
  );
}

export interface VoucherVoidOptions {
  number: string;
  reason: string;
  kind?: string;
}

export function parseVoucherVoidOptions([number]: string[], raw: RawOptions): VoucherVoidOptions {
  return { number: number!, reason: String(raw.reason), kind: stringOption(raw, 'kind') };
}

export async function runVoucherVoid(ctx: CliContext, opts: VoucherVoidOptions): Promise<void> {
  const { voidVoucher } = await loadSettlement();
  const svc = await ctx.services();
  const r = await voidVoucher(svc, opts);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    ctx.t(m('已作废{kind}凭证 {n}', 'voided {kind} voucher {n}'), {
      kind: ctx.t(KIND_LABEL[r.kind]),
      n: r.number,
    }),
  );
}

export function registerVoucherAdd(
  vouchers: Command,
  ctx: CliContext,
  run: RunVerb<VoucherAddOptions> = runVoucherAdd,
): Command {
  return verb(vouchers, ctx, 'add', m('登记凭证号段', 'register a range of voucher numbers'), [
    'crm settlement vouchers add --kind payment --from 00000001 --to 00000100',
  ])
    .requiredOption('--kind <kind>', 'payment | refund')
    .requiredOption('--from <number>', ctx.t(m('起始号（保留前导零）', 'first number (leading zeros kept)')))
    .requiredOption('--to <number>', ctx.t(m('终止号', 'last number')))
    .action(act(ctx, parseVoucherAddOptions, run));
}

export function registerVoucherList(
  vouchers: Command,
  ctx: CliContext,
  run: RunVerb<VoucherListOptions> = runVoucherList,
): Command {
  return verb(vouchers, ctx, 'list', m('列出凭证', 'list vouchers'), [
    'crm settlement vouchers list --kind refund --status unused',
  ])
    .option('--kind <kind>', 'payment | refund')
    .option('--status <status>', 'unused | used | void')
    .action(act(ctx, parseVoucherListOptions, run));
}

export function registerVoucherVoid(
  vouchers: Command,
  ctx: CliContext,
  run: RunVerb<VoucherVoidOptions> = runVoucherVoid,
): Command {
  return verb(vouchers, ctx, 'void <number>', m('作废未使用的凭证', 'void an unused voucher'), [
    'crm settlement vouchers void 00000007 --reason "打印损坏"',
  ])
    .option('--kind <kind>', 'payment | refund')
    .requiredOption('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(act(ctx, parseVoucherVoidOptions, run));
}

/** `crm settlement vouchers add | list | void`. */
export function registerVouchers(settlement: Command, ctx: CliContext): Command {
  const vouchers = group(
    settlement,
    ctx,
    'vouchers',
    m('重空登记簿：凭证号段登记、查询、作废', 'voucher register: add ranges, list, void'),
  );
  registerVoucherAdd(vouchers, ctx);
  registerVoucherList(vouchers, ctx);
  registerVoucherVoid(vouchers, ctx);
  return vouchers;
}
