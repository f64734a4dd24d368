import { Command, Option } from 'commander';
import { registerCommands } from '../commands/index.js';
import type { CliContext } from './context.js';
import { m } from './i18n.js';
import { VERSION } from './version.js';

/** The `crm` program: global options and the command group the argv names. Building it loads no database driver. */
export async function buildProgram(ctx: CliContext, argv: string[] = []): Promise<Command> {
  const program = new Command('crm');
  program
    .description(
      ctx.t(
        m(
          '重点客户管理与财政授权支付清算工具：客户、订单、清算营业日、报表与定时作业',
          'key-account CRM and daily payment clearing: customers, orders, the settlement day, reports and jobs',
        ),
      ),
    )
    .version(VERSION, '-V, --version', ctx.t(m('显示版本号', 'print the version')))
    .helpOption('-h, --help', ctx.t(m('显示帮助', 'show help')))
    .addHelpCommand('help [command]', ctx.t(m('显示某个命令的帮助', 'show help for a command')))
    .option(
      '--db <url>',
      ctx.t(
        m(
          '数据库：sqlite:路径、文件路径或 mysql://用户:密码@主机:端口/库（环境变量 CRM_DATABASE_URL）',
          'database: sqlite:PATH, a file path or mysql://user:pass@host:port/db (env CRM_DATABASE_URL)',
        ),
      ),
    )
    .option(
      '--config <file>',
      ctx.t(
        m(
          '配置文件（默认 $XDG_CONFIG_HOME/crm/config.json）',
          'config file (default $XDG_CONFIG_HOME/crm/config.json)',
        ),
      ),
    )
    .option(
      '--user <name>',
      ctx.t(
        m(
          '以该用户身份执行（环境变量 CRM_USER；仅限管理员代他人，默认为登录身份）',
          'act as this user (env CRM_USER; admins only, unless it is you; default: who signed in)',
        ),
      ),
    )
    .option(
      '--as <name>',
      ctx.t(m('管理员代该用户操作（审计记录双方）', 'an admin acting as this user (both names are audited)')),
    )
    .addOption(
      new Option('--lang <lang>', ctx.t(m('界面语言（环境变量 CRM_LANG）', 'language (env CRM_LANG)'))).choices([
        'zh',
        'zh-CN',
        'en',
      ]),
    )
    .option('--json', ctx.t(m('以 JSON 输出（供脚本使用）', 'print JSON (for scripts)')))
    .option('--csv', ctx.t(m('以 CSV 输出', 'print CSV')))
    .addOption(
      new Option('--format <format>', ctx.t(m('输出格式', 'output format'))).choices([
        'table',
        'tsv',
        'csv',
        'json',
        'print',
        'html',
      ]),
    )
    .option('--no-color', ctx.t(m('不使用颜色（也可设 NO_COLOR）', 'no colours (or set NO_COLOR)')))
    .option('--debug', ctx.t(m('出错时显示堆栈', 'show stack traces on errors')))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      // Errors are printed by main(), in the right language and (with --json) as JSON.
      outputError: () => {},
    });
  program.addHelpText(
    'after',
    `\n${ctx.t(m('示例：', 'Examples:'))}\n  $ crm init --admin alice --yes\n  $ crm customers list --owner bob\n  $ crm settlement status --date 2026-11-23\n  $ crm calendar check today --json\n\n${ctx.t(
      m(
        '退出码：0 成功，1 错误，2 用法错误，3 无数据，4 权限不足，5 冲突或已锁定，6 部分行被拒绝，7 文件无法读取',
        'Exit codes: 0 ok, 1 error, 2 usage, 3 no data, 4 permission denied, 5 conflict or locked, 6 some rows rejected, 7 input unreadable',
      ),
    )}\n`,
  );
  program.hook('preAction', (_root, actionCommand) => {
    ctx.setGlobals(actionCommand.optsWithGlobals());
    const names: string[] = [];
    for (let c: typeof actionCommand | null = actionCommand; c?.parent; c = c.parent) names.unshift(c.name());
    ctx.commandPath = names.join(' ');
  });
  await registerCommands(program, ctx, argv);
  // Every subcommand shares the root's error handling and output.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}
