import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { act, group, intOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderDetails, renderRows } from '../../cli/output.js';
import { redactUrl } from '../../db/connection.js';
import { businessDate, formatLocal, localTime, parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode, type ExitCodeValue } from '../../domain/errors.js';
import { can } from '../../domain/roles.js';
import { JOB_STATE, JOB_STEP, JOB_STEP_STATUS, JOB_TRIGGER, wordFor } from '../../domain/vocabulary.js';
import type { LogFn } from '../../jobs/scheduler.js';
import type { JobRegistry } from '../../jobs/types.js';
import type { ServiceContext } from '../../services/context.js';
import type { RUN_STATES } from '../../services/jobs/history.js';
import type { RunResult } from '../../services/jobs/instances.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadJobsScheduler = () => import('../../jobs/scheduler.js');
const loadJobsCatchup = () => import('../../services/jobs/catchup.js');
const loadJobsHistory = () => import('../../services/jobs/history.js');
const loadJobsInstances = () => import('../../services/jobs/instances.js');
const loadJobsSchedule = () => import('../../services/jobs/schedule.js');
/** For --help without loading the service; the type keeps it equal to the service's list. */
const RUN_STATE_NAMES: typeof RUN_STATES = ['running', 'completed', 'failed'];

async function baseRunOptions(ctx: CliContext, svc: ServiceContext) {
  const [{ reportsDir }, { leaseMsFor }] = await Promise.all([loadJobsSchedule(), loadJobsInstances()]);
  return {
    reportsDir: await reportsDir(svc, ctx.cwd, ctx.dataDir),
    clearingDir: path.join(ctx.dataDir, 'clearing'),
    leaseMs: await leaseMsFor(svc, ctx.jobsLeaseMs),
  };
}

const stateWord = (ctx: CliContext, state: string) => wordFor(ctx.lang, JOB_STATE, state);

function printRun(ctx: CliContext, r: RunResult): ExitCodeValue {
  if (ctx.json) {
    printJson(ctx, r);
  } else {
    ctx.out(
      ctx.t(
        m('{job} {date}：{state}（运行 {id}，第 {attempt} 次）', '{job} {date}: {state} (run {id}, attempt {attempt})'),
        {
          job: r.job,
          date: r.slot ? `${r.businessDate} ${r.slot}:00` : r.businessDate,
          state: stateWord(ctx, r.state),
          id: r.runId,
          attempt: r.attempt,
        },
      ),
    );
    if (r.takeover) ctx.out(ctx.t(m('  接管了租约已过期的运行', '  took over a run whose lease had expired')));
    for (const s of r.steps) {
      ctx.out(`  ${wordFor(ctx.lang, JOB_STEP, s.name)}: ${wordFor(ctx.lang, JOB_STEP_STATUS, s.status)}`);
    }
  }
  if (r.state === 'failed') {
    if (!ctx.json) {
      ctx.io.stderr.write(
        `${ctx.t(m('错误', 'error'))} ${r.error?.code ?? 'E8103'}: ${ctx.t(
          m('作业 {job} {date} 失败：{message}', 'job {job} {date} failed: {message}'),
          { job: r.job, date: r.businessDate, message: r.error?.message ?? '' },
        )}\n  ${ctx.t(
          m(
            '修复原因后再次运行 "crm jobs run {job} --date {date}"，将从失败的步骤继续；详情见 "crm jobs show {id}"',
            'fix the cause, then run "crm jobs run {job} --date {date}" again: it resumes at the failed step; details: "crm jobs show {id}"',
          ),
          { job: r.job, date: r.businessDate, id: r.runId },
        )}\n`,
      );
    }
    return ExitCode.error;
  }
  return ExitCode.ok;
}

export function registerJobs(program: Command, ctx: CliContext): Command {
  const jobs = group(
    program,
    ctx,
    'jobs',
    m('定时作业：营业日调度、补跑、运行记录', 'jobs: the business-day scheduler, catch-up and the record of runs'),
    [
      'crm jobs list',
      'crm jobs run start-of-service',
      'crm jobs catch-up --dry-run',
      'crm jobs history --state failed',
    ],
  );

  verb(
    jobs,
    ctx,
    'list',
    m('列出作业：是否启用、时间、下次运行、上次运行', 'list jobs: enabled, schedule, next run, last run'),
    ['crm jobs list', 'crm jobs list --json'],
  ).action(
    act(ctx, async () => {
      const { listJobs } = await loadJobsHistory();
      const svc = await ctx.services();
      const rows = await listJobs(svc, await ctx.jobRegistry());
      const { calendarWarning } = await import('../../services/calendar.js');
      const warning = await calendarWarning(svc);
      if (warning) ctx.note(warning);
      renderRows(
        ctx,
        [
          { key: 'name', label: m('作业', 'job') },
          { key: 'enabled', label: m('启用', 'enabled') },
          {
            key: 'schedule',
            label: m('时间', 'schedule'),
            words: (code) => (code.startsWith('hourly ') ? m(`每小时 ${code.slice(7)}`, code) : undefined),
          },
          { key: 'nextRun', label: m('下次运行', 'next run') },
          {
            key: 'lastRun',
            label: m('上次运行', 'last run'),
            value: (r) =>
              r.lastRun ? `${r.lastRun.businessDate} ${stateWord(ctx, r.lastRun.state)} (#${r.lastRun.id})` : '',
          },
        ],
        rows,
      );
    }),
  );

  verb(
    jobs,
    ctx,
    'run <name>',
    m(
      '手工运行一个作业实例（与调度器同一路径；已完成的不再运行）',
      "run one job instance by hand (the scheduler's code path; a completed instance is not run again)",
    ),
    [
      'crm jobs run start-of-service',
      'crm jobs run pending-summary --date 2026-11-20',
      'crm jobs run cutoff --date 2026-11-20 --rerun --reason "文件被覆盖，重新生成"',
      'crm jobs run service-escalation --date 2026-11-20 --hour 10',
    ],
  )
    .option('--date <date>', ctx.t(m('营业日期（默认今天）', 'business date (default: today)')))
    .option(
      '--hour <HH>',
      ctx.t(m('按小时运行的作业：哪一小时（默认当前小时）', 'hourly jobs: which hour (default: the current hour)')),
    )
    .option(
      '--rerun',
      ctx.t(
        m('重跑已完成的实例（仅管理员，需 --reason）', 'run a completed instance again (admin only, needs --reason)'),
      ),
    )
    .option('--reason <text>', ctx.t(m('重跑原因（记入审计日志）', 'why it is rerun (audited)')))
    .action(
      act<[string]>(ctx, async (name, opts) => {
        const { findJob, runJob } = await loadJobsInstances();
        const svc = await ctx.services();
        const registry = await ctx.jobRegistry();
        const def = findJob(registry, name);
        const tz = await svc.settings.get<string>('timezone');
        const date = opts.date ? parseDateArg(String(opts.date), '--date') : businessDate(svc.clock.now(), tz);
        if (opts.reason && !opts.rerun) {
          throw new CrmError('E8106', m('--reason 只和 --rerun 一起用', '--reason goes with --rerun'), ExitCode.usage);
        }
        const r = await runJob(svc, def, date, {
          ...(await baseRunOptions(ctx, svc)),
          trigger: 'manual',
          rerun: Boolean(opts.rerun),
          reason: opts.reason as string | undefined,
          slot: def.hourly
            ? opts.hour
              ? String(opts.hour).padStart(2, '0')
              : localTime(svc.clock.now(), tz).slice(0, 2)
            : (opts.hour as string | undefined),
        });
        return printRun(ctx, r);
      }),
    );

  verb(
    jobs,
    ctx,
    'catch-up',
    m(
      '补跑所有应已运行而未完成的实例（按日期、再按当天顺序），然后退出',
      "run every instance that should already have run and has not completed (oldest first, then the day's order), then exit",
    ),
    ['crm jobs catch-up --dry-run', 'crm jobs catch-up --json'],
  )
    .option('--dry-run', ctx.t(m('只列出将要运行的实例', 'only list the instances it would run')))
    .action(
      act(ctx, async (opts) => {
        const { catchUp } = await loadJobsCatchup();
        const svc = await ctx.services();
        const items = await catchUp(svc, await ctx.jobRegistry(), {
          ...(await baseRunOptions(ctx, svc)),
          dryRun: Boolean(opts.dryRun),
        });
        renderRows(
          ctx,
          [
            { key: 'job', label: m('作业', 'job') },
            { key: 'businessDate', label: m('营业日', 'business date') },
            { key: 'dueAt', label: m('应运行时间', 'due at') },
            { key: 'outcome', label: m('结果', 'outcome'), words: JOB_STATE },
            { key: 'runId', label: m('运行', 'run') },
            {
              key: 'error',
              label: m('错误', 'error'),
              value: (r) => (r.error ? `${r.error.code}: ${r.error.message}` : ''),
            },
          ],
          items,
          { empty: m('没有需要补跑的实例', 'nothing to catch up') },
        );
        if (items.some((i) => i.outcome === 'failed')) return ExitCode.error;
      }),
    );

  verb(
    jobs,
    ctx,
    'history',
    m('作业运行记录（每次尝试一行，最新在前）', 'the record of job runs (one line per attempt, newest first)'),
    ['crm jobs history', 'crm jobs history --job cutoff --state failed --json'],
  )
    .option('--job <name>', ctx.t(m('只看该作业', 'only this job')))
    .option('--date <date>', ctx.t(m('只看该营业日', 'only this business date')))
    .option(
      '--state <state>',
      ctx.t(m(`只看该状态（${RUN_STATE_NAMES.join('|')}）`, `only this state (${RUN_STATE_NAMES.join('|')})`)),
    )
    .option('--limit <n>', ctx.t(m('最多行数（默认 200）', 'most rows (default 200)')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { findJob } = await loadJobsInstances();
        const { listHistory } = await loadJobsHistory();
        const svc = await ctx.services();
        if (opts.job) findJob(await ctx.jobRegistry(), String(opts.job));
        const rows = await listHistory(svc, {
          job: opts.job as string | undefined,
          date: opts.date ? parseDateArg(String(opts.date), '--date') : undefined,
          state: opts.state as string | undefined,
          limit: opts.limit as number | undefined,
        });
        renderRows(
          ctx,
          [
            { key: 'id', label: m('运行', 'run'), align: 'right' },
            { key: 'job', label: m('作业', 'job') },
            {
              key: 'businessDate',
              label: m('营业日', 'business date'),
              // an hourly job's instance: the date and its hour
              value: (r) => (r.hour ? `${r.businessDate} ${r.hour}:00` : r.businessDate),
            },
            { key: 'state', label: m('状态', 'state'), words: JOB_STATE },
            { key: 'startedAt', label: m('开始', 'started') },
            { key: 'finishedAt', label: m('结束', 'finished') },
            { key: 'trigger', label: m('触发', 'trigger'), words: JOB_TRIGGER },
          ],
          rows,
          { empty: m('没有运行记录', 'no runs') },
        );
      }),
    );

  verb(
    jobs,
    ctx,
    'show <runId>',
    m(
      '一次运行的详情：时间、用户、主机与 pid、结果、错误',
      'one run in full: times, user, host and pid, result, error',
    ),
    ['crm jobs show 12'],
  ).action(
    act<[string]>(ctx, async (idArg) => {
      const { showRun } = await loadJobsHistory();
      if (!/^\d+$/.test(idArg)) {
        throw new CrmError('E8110', m(`运行编号无效：${idArg}`, `invalid run id: ${idArg}`), ExitCode.usage, {
          zh: '用 "crm jobs history" 查看运行编号',
          en: 'see "crm jobs history" for run ids',
        });
      }
      const svc = await ctx.services();
      const r = await showRun(svc, Number(idArg));
      const duration = r.durationMs == null ? null : `${(r.durationMs / 1000).toFixed(1)} s`;
      renderDetails(
        ctx,
        [
          [m('运行', 'run'), r.id],
          [m('作业', 'job'), r.job],
          [m('营业日', 'business date'), r.businessDate],
          [m('状态', 'state'), stateWord(ctx, r.state)],
          [m('触发', 'trigger'), wordFor(ctx.lang, JOB_TRIGGER, r.trigger)],
          [m('用户', 'user'), r.user],
          [m('开始', 'started'), r.startedAt],
          [m('结束', 'finished'), r.finishedAt],
          [m('耗时', 'duration'), duration],
          [m('主机', 'host'), r.host],
          [m('进程', 'pid'), r.pid],
          [m('第几次尝试', 'attempt'), `${r.attempt} / ${r.instance.attempts} (${stateWord(ctx, r.instance.state)})`],
          [m('重跑原因', 'rerun reason'), r.rerunReason],
          [m('结果', 'result'), r.result == null ? null : JSON.stringify(r.result)],
          [m('错误', 'error'), r.error],
        ],
        r,
      );
    }),
  );

  verb(
    jobs,
    ctx,
    'start',
    m(
      '启动调度器（前台运行；先补跑；每个事件一行 JSON；SIGINT/SIGTERM 完成当前步骤后停止）',
      'run the scheduler (foreground; catches up first; one JSON line per event; SIGINT/SIGTERM stops after the running step)',
    ),
    ['crm jobs start', 'crm jobs start --log /var/log/crm/jobs.log'],
  )
    .option('--log <file>', ctx.t(m('日志写入该文件（默认标准输出）', 'append the log to this file (default: stdout)')))
    .action(
      act(ctx, async (opts) => {
        const { schedulerActor } = await loadJobsSchedule();
        const { Scheduler } = await loadJobsScheduler();
        const cli = await ctx.services();
        const tz = await cli.settings.get<string>('timezone');
        const logFile = opts.log ? path.resolve(ctx.cwd, String(opts.log)) : null;
        if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
        const log: LogFn = (event, fields = {}) => {
          const line = `${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`;
          if (logFile) fs.appendFileSync(logFile, line);
          else ctx.io.stdout.write(line);
        };
        // The CLI user must be allowed to run jobs; the jobs then act as the scheduler's user (`jobs.user`).
        if (!can(cli.actor, 'jobs.run')) {
          throw new CrmError(
            'E4001',
            m(
              `权限不足：${cli.actor.name} 不能启动调度器`,
              `permission denied: ${cli.actor.name} may not start the scheduler`,
            ),
            ExitCode.permission,
          );
        }
        // `--user` / CRM_USER name the user the jobs act as; otherwise the setting jobs.user, else the first admin.
        const svc: ServiceContext = { ...cli, actor: ctx.userGiven ? cli.actor : await schedulerActor(cli) };
        const scheduler = new Scheduler({
          ctx: svc,
          registry: await ctx.jobRegistry(),
          run: await baseRunOptions(ctx, svc),
          log,
        });
        if (ctx.io.stderr.isTTY) await printStartLine(ctx, svc, await ctx.jobRegistry());
        let signalled: (sig: string) => void = () => {};
        const stop = new Promise<string>((resolve) => {
          signalled = resolve;
        });
        const onInt = () => signalled('SIGINT');
        const onTerm = () => signalled('SIGTERM');
        process.once('SIGINT', onInt);
        process.once('SIGTERM', onTerm);
        const keepAlive = setInterval(() => {}, 60_000);
        try {
          const started = scheduler.start();
          const sig = await Promise.race([started.then(() => stop), stop]);
          log('signal', { signal: sig, timezone: tz });
          await scheduler.stop();
          await started.catch(() => {});
        } finally {
          clearInterval(keepAlive);
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
        }
      }),
    );

  return jobs;
}

/** One line for the person who started the scheduler on a terminal: which database, as whom, the next runs. */
async function printStartLine(ctx: CliContext, svc: ServiceContext, registry: JobRegistry): Promise<void> {
  const { listJobs } = await loadJobsHistory();
  const tz = await svc.settings.get<string>('timezone');
  const next = (await listJobs(svc, registry))
    .filter((j) => j.enabled && j.nextRun)
    .sort((a, b) => String(a.nextRun).localeCompare(String(b.nextRun)))
    .slice(0, 3)
    .map((j) => `${j.name} ${formatLocal(new Date(String(j.nextRun)), tz)}`);
  ctx.note(
    m(
      '调度器已启动：数据库 {db}，以 {user} 身份运行；接下来：{next}',
      'scheduler started: database {db}, acting as {user}; next: {next}',
    ),
    { db: redactUrl(ctx.connection().databaseUrl), user: svc.actor.name, next: next.join(', ') || '-' },
  );
}
