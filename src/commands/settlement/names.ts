import type { Command } from 'commander';
import { act, group, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { formatLocal } from '../../domain/clock.js';
import type { UnitNameOverride } from '../../services/settlement/names.js';
import { loadSettlement } from './shared.js';

export interface NameSetOptions {
  unitCode: string;
  name: string;
  reason: string;
}

export function parseNameSetOptions([unitCode]: string[], raw: RawOptions): NameSetOptions {
  return { unitCode: String(unitCode), name: String(raw.name), reason: stringOption(raw, 'reason') ?? '' };
}

export async function runNameSet(ctx: CliContext, opts: NameSetOptions): Promise<void> {
  const { setUnitName } = await loadSettlement();
  const r = await setUnitName(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    ctx.t(m('清算文件中 {code} 的名称为：{name}', 'in the clearing files {code} is now named: {name}'), {
      code: r.unitCode,
      name: r.name,
    }),
  );
}

export async function runNameList(ctx: CliContext): Promise<void> {
  const { listUnitNames } = await loadSettlement();
  const svc = await ctx.services();
  const rows = await listUnitNames(svc);
  const timeZone = await svc.settings.get<string>('timezone');
  renderRows<UnitNameOverride>(
    ctx,
    [
      { key: 'unitCode', label: m('一级单位', 'unit') },
      { key: 'name', label: m('清算文件中的名称', 'name in the files') },
      { key: 'reason', label: m('原因', 'reason') },
      { key: 'setBy', label: m('设置人', 'set by') },
      { key: 'setAt', label: m('设置时间', 'set at'), value: (r) => formatLocal(new Date(r.setAt), timeZone) },
    ],
    rows,
    { empty: m('没有修改过的单位名称', 'no unit names overridden') },
  );
}

export function registerNames(
  settlement: Command,
  ctx: CliContext,
  runs: { set?: RunVerb<NameSetOptions> } = {},
): Command {
  const names = group(
    settlement,
    ctx,
    'names',
    m(
      '清算文件中的一级单位名称（名称含 GBK 无法表示的字符时用）',
      "first-level units' names in the clearing files (for a name GBK cannot hold)",
    ),
    ['crm settlement names list', 'crm settlement names set 610000 --name 陕西省财政厅 --reason "原名含表情符号"'],
  );
  verb(
    names,
    ctx,
    'set <unit>',
    m('指定清算文件中该一级单位的名称（记入审计）', "set a first-level unit's name in the clearing files (audited)"),
    ['crm settlement names set 610000 --name 陕西省财政厅 --reason "原名含表情符号"'],
  )
    .requiredOption('--name <name>', ctx.t(m('清算文件中的名称', 'the name in the files')))
    .requiredOption('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(act(ctx, parseNameSetOptions, runs.set ?? runNameSet));
  verb(names, ctx, 'list', m('列出修改过的名称', 'list the overridden names')).action(
    act(
      ctx,
      () => ({}),
      () => runNameList(ctx),
    ),
  );
  return names;
}
