import type { Command } from 'commander';
import { act, collect, group, listOption, type RawOptions, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderRows } from '../../cli/output.js';
import { stepText, stepWords } from '../../domain/approvals/flows.js';
import { APPROVAL_TYPE } from '../../domain/approvals/vocabulary.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { YES_NO } from '../../domain/vocabulary.js';
import type { FlowView, SetFlowInput } from '../../services/approvals/flows.js';
import { loadFlows } from './shared.js';

export function flowJson(f: FlowView) {
  return { type: f.type, enabled: f.enabled, isDefault: f.isDefault, steps: f.steps.map(stepText) };
}

function flowColumns(ctx: CliContext): Column<FlowView>[] {
  return [
    { key: 'type', label: m('类型', 'type'), words: APPROVAL_TYPE },
    { key: 'enabled', label: m('启用', 'enabled'), value: (f) => String(f.enabled), words: YES_NO },
    { key: 'isDefault', label: m('默认', 'default'), value: (f) => String(f.isDefault), words: YES_NO },
    {
      key: 'steps',
      label: m('审批步骤', 'steps'),
      value: (f) =>
        ctx.format() === 'table'
          ? f.steps.map((s) => ctx.t(stepWords(s))).join(' → ')
          : f.steps.map(stepText).join(','),
    },
  ];
}

export async function runListFlows(ctx: CliContext): Promise<void> {
  const { listFlows } = await loadFlows();
  const flows = await listFlows(await ctx.services());
  renderRows(ctx, flowColumns(ctx), flows, { json: flows.map(flowJson) });
}

export interface FlowOptions {
  type: string;
}

export async function runShowFlow(ctx: CliContext, opts: FlowOptions): Promise<void> {
  const { showFlow } = await loadFlows();
  const f = await showFlow(await ctx.services(), opts.type);
  if (ctx.json) return printJson(ctx, flowJson(f));
  renderRows(ctx, flowColumns(ctx), [f]);
}

export interface SetFlowOptions extends SetFlowInput {
  type: string;
}

export function parseSetFlowOptions([type]: string[], raw: RawOptions): SetFlowOptions {
  if (raw.on && raw.off) {
    throw new CrmError('E4220', m('--on 与 --off 只能选一个', 'choose --on or --off, not both'), ExitCode.usage);
  }
  const steps = listOption(raw, 'step');
  return {
    type: type!,
    steps: steps.length ? steps : undefined,
    enabled: raw.on ? true : raw.off ? false : undefined,
    reset: Boolean(raw.reset),
  };
}

export async function runSetFlow(ctx: CliContext, opts: SetFlowOptions): Promise<void> {
  const { setFlow } = await loadFlows();
  const f = await setFlow(await ctx.services(), opts.type, opts);
  if (ctx.json) return printJson(ctx, flowJson(f));
  renderRows(ctx, flowColumns(ctx), [f]);
}

export function registerFlows(
  approvals: Command,
  ctx: CliContext,
  runs: { set?: RunVerb<SetFlowOptions> } = {},
): Command {
  const flows = group(
    approvals,
    ctx,
    'flows',
    m('审批流程：每种申请的审批步骤', 'approval flows: the steps of each request type'),
  );
  verb(flows, ctx, 'list', m('列出每种申请的流程', 'list the flow of every type')).action(
    act(ctx, () => ({}), runListFlows),
  );
  verb(flows, ctx, 'show <type>', m('查看一种申请的流程', 'show one type’s flow')).action(
    act(ctx, ([type]) => ({ type: type! }), runShowFlow),
  );
  verb(
    flows,
    ctx,
    'set <type>',
    m(
      '修改流程（管理员）：--step 可重复，写作 manager、manager+1、executive、admin、user:用户名，可加 >金额',
      'change a flow (admins): --step is repeatable: manager, manager+1, executive, admin or user:NAME, optionally >AMOUNT',
    ),
    [
      'crm approvals flows set expense --step manager --step "executive>5000"',
      'crm approvals flows set order --step manager --step "executive>200000"',
      'crm approvals flows set general --off',
      'crm approvals flows set expense --reset',
    ],
  )
    .option('--step <step>', ctx.t(m('审批步骤（按顺序，可重复）', 'a step, in order (repeatable)')), collect)
    .option('--on', ctx.t(m('启用该流程', 'turn the flow on')))
    .option('--off', ctx.t(m('停用：该类申请提交即通过', 'turn it off: requests of the type are approved on submit')))
    .option('--reset', ctx.t(m('恢复默认流程', 'back to the default flow')))
    .action(act(ctx, parseSetFlowOptions, runs.set ?? runSetFlow));
  return flows;
}
