import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseCutoffOptions, registerCutoff, runCutoff } from '../../src/commands/settlement/cutoff.js';
import { parseFeedImportOptions, registerFeedImport, runFeedImport } from '../../src/commands/settlement/import.js';
import { registerOpen, runOpen } from '../../src/commands/settlement/open.js';
import { runStatus } from '../../src/commands/settlement/status.js';
import { registerSummaryShow } from '../../src/commands/settlement/summary.js';
import { registerVerify, runVerify } from '../../src/commands/settlement/verify.js';
import { registerVoucherAdd, runVoucherAdd } from '../../src/commands/settlement/vouchers.js';
import { CrmError, ExitCode } from '../../src/domain/errors.js';
import { inProcessSuite, parseVerb } from '../support/in-process.js';

const HEADER = '流水号,交易时间,客户编码,交易类型,金额,账户分类,付款账号,摘要';
const GOOD_ROW = 'BK1,2026-11-23 09:12:05,610000,划款,"12,500.00",财政授权支付,6222020000000001,办公用品';
const BAD_AMOUNT_ROW = 'BK2,2026-11-23 09:13:00,610000,划款,abc,财政授权支付,6222020000000001,差旅';
const REJECTED_NOTE =
  'line 3 amount: invalid amount for amount "abc": only digits, thousands commas and a decimal point are allowed\n';

describe('settlement verbs: flags to typed options', () => {
  const suite = inProcessSuite();

  it('open maps --date, --force and --reason; nothing given means today, not forced', async () => {
    const { ctx } = suite.context();
    expect(
      await parseVerb(ctx, registerOpen, ['open', '--date', '2026-11-22', '--force', '--reason', 'drill']),
    ).toEqual({ date: '2026-11-22', force: true, early: false, reason: 'drill' });
    expect(await parseVerb(ctx, registerOpen, ['open'])).toEqual({
      date: undefined,
      force: false,
      early: false,
      reason: undefined,
    });
    expect(await parseVerb(ctx, registerOpen, ['open', '--early', '--reason', 'x'])).toMatchObject({ early: true });
  });

  it('cutoff rejects an unknown flag as a commander usage error', async () => {
    const { ctx } = suite.context();
    expect(await parseVerb(ctx, registerCutoff, ['cutoff', '--force'])).toEqual({
      date: undefined,
      force: true,
      early: false,
      reason: undefined,
    });
    await expect(parseVerb(ctx, registerCutoff, ['cutoff', '--dat', '2026-11-23'])).rejects.toMatchObject({
      code: 'commander.unknownOption',
    });
  });

  it('import maps the shared import flags, and an unknown --encoding is a usage error', async () => {
    const { ctx } = suite.context();
    expect(
      await parseVerb(ctx, registerFeedImport, [
        'import',
        'feed.csv',
        '--encoding',
        'GB18030',
        '--dry-run',
        '--atomic',
      ]),
    ).toEqual({
      file: 'feed.csv',
      flags: { encoding: 'gbk', mode: undefined, dryRun: true, atomic: true, errorsOut: undefined, force: false },
    });
    expect(
      (await parseVerb(ctx, registerFeedImport, ['import', 'feed.csv', '--errors', 'rejects.csv', '--force'])).flags,
    ).toMatchObject({ encoding: 'auto', errorsOut: 'rejects.csv', force: true });
    const bad = parseVerb(ctx, registerFeedImport, ['import', 'feed.csv', '--encoding', 'latin1']);
    await expect(bad).rejects.toBeInstanceOf(CrmError);
    await expect(bad).rejects.toMatchObject({ code: 'E3105', exitCode: ExitCode.usage });
  });

  it('summary show reads --page-lines as a number; a word there is a commander usage error', async () => {
    const { ctx } = suite.context();
    const argv = ['show', '--date', '2026-11-20', '--status', 'pending', '--kind', 'payment'];
    expect(await parseVerb(ctx, registerSummaryShow, [...argv, '--page-lines', '40'])).toEqual({
      date: '2026-11-20',
      status: 'pending',
      kind: 'payment',
      unit: undefined,
      pageLines: 40,
    });
    const bad = parseVerb(ctx, registerSummaryShow, [...argv, '--page-lines', 'forty']);
    await expect(bad).rejects.toBeInstanceOf(CommanderError);
    await expect(bad).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('vouchers add needs --kind, --from and --to; verify knows only gbk and utf8', async () => {
    const { ctx } = suite.context();
    expect(
      await parseVerb(ctx, registerVoucherAdd, ['add', '--kind', 'payment', '--from', '0001', '--to', '0009']),
    ).toEqual({ kind: 'payment', from: '0001', to: '0009' });
    await expect(
      parseVerb(ctx, registerVoucherAdd, ['add', '--kind', 'payment', '--from', '0001']),
    ).rejects.toMatchObject({
      code: 'commander.missingMandatoryOptionValue',
    });
    expect(await parseVerb(ctx, registerVerify, ['verify', 'qs.txt', '--encoding', 'UTF-8'])).toEqual({
      file: 'qs.txt',
      encoding: 'utf8',
    });
    await expect(parseVerb(ctx, registerVerify, ['verify', 'qs.txt', '--encoding', 'big5'])).rejects.toMatchObject({
      code: 'E3105', // the one --encoding parser's code
      exitCode: ExitCode.usage,
    });
  });
});

describe('settlement verbs: run with typed options, in-process', () => {
  const suite = inProcessSuite();

  it('open, then status: the text a person reads, the calendar warning on stderr, no exit code', async () => {
    const open = suite.context();
    expect(await runOpen(open.ctx, { date: '2026-11-23', force: false, early: false })).toBeUndefined();
    expect(open.stdout()).toBe('2026-11-23 opened\n');
    const again = suite.context();
    await runOpen(again.ctx, { force: false, early: false }); // no date: today, from CRM_NOW
    expect(again.stdout()).toBe('2026-11-23 is already open; nothing to do\n');
    const status = suite.context();
    expect(await runStatus(status.ctx, { date: '2026-11-23' })).toBeUndefined();
    expect(status.stdout()).toBe(
      [
        '2026-11-23  open',
        'pending for this day: 0 payments 0.00 yuan, 0 refunds 0.00 yuan (0 late)',
        'cleared on this day: 0 payments 0.00 yuan, 0 refunds 0.00 yuan (pending date -)',
        'vouchers left: 0 payment, 0 refund',
        // 10:00 on the day: nothing to run before the 15:30 cutoff.
        'next step: taking transactions until 15:30, then the cutoff (the job runs it)',
        '',
      ].join('\n'),
    );
    // The calendar ends 2026-12-31, 38 days after the suite's today: the day's commands warn.
    expect(status.stderr()).toMatch(/^warning: the working-day calendar ends on 2026-12-31 \(38 days left\)/);
  });

  it('vouchers add in Chinese, and with --json', async () => {
    const zh = suite.context({ lang: 'zh' });
    await runVoucherAdd(zh.ctx, { kind: 'payment', from: '0001', to: '0003' });
    expect(zh.stdout()).toBe('已登记划款凭证 0001-0003，共 3 张\n');
    const json = suite.context({ json: true });
    await runVoucherAdd(json.ctx, { kind: 'refund', from: '0001', to: '0001' });
    expect(JSON.parse(json.stdout())).toEqual({ kind: 'refund', from: '0001', to: '0001', added: 1 });
  });

  it('an import with a rejected row returns 6 and prints the summary and the rejection', async () => {
    expect((await suite.main(['customers', 'add', '--code', '610000', '--name', '陕西省财政厅'])).code).toBe(0);
    suite.write('feed.csv', `${HEADER}\n${GOOD_ROW}\n${BAD_AMOUNT_ROW}\n`);
    const t = suite.context();
    // The file as given on the command line: relative to the context's working directory.
    const code = await runFeedImport(t.ctx, parseFeedImportOptions(['feed.csv'], { encoding: 'auto' }));
    expect(code).toBe(ExitCode.rowsRejected);
    expect(t.stdout()).toMatch(/^import finished: feed\.csv \(batch [0-9a-f-]{36}\)\n/);
    expect(t.stdout()).toContain('read 2: inserted 1, updated 0, unchanged 0, rejected 1, warnings 0\n');
    expect(t.stderr()).toBe(REJECTED_NOTE);
  });

  it('an import with no rejected rows returns 0', async () => {
    const file = suite.write('feed-ok.csv', `${HEADER}\n${GOOD_ROW.replace('BK1', 'BK3')}\n`);
    const t = suite.context({ json: true });
    expect(await runFeedImport(t.ctx, parseFeedImportOptions([file], { encoding: 'utf8' }))).toBe(ExitCode.ok);
    expect(JSON.parse(t.stdout())).toMatchObject({ read: 1, inserted: 1, rejected: 0, encoding: 'utf8' });
  });

  it('main() returns 6 for an import with a rejected row, with the same output', async () => {
    const file = suite.write('feed-again.csv', `${HEADER}\n${GOOD_ROW.replace('BK1', 'BK4')}\n${BAD_AMOUNT_ROW}\n`);
    const r = await suite.main(['settlement', 'import', file]);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain('read 2: inserted 1, updated 0, unchanged 0, rejected 1, warnings 0\n');
    expect(r.stderr).toBe(REJECTED_NOTE);
  });

  it('cutoff with --json: the three imported payments pending, the total as a yuan string', async () => {
    const t = suite.context({ json: true });
    // The suite's clock stands at 10:00, before the 15:30 cutoff: early, with a reason.
    const early = { date: '2026-11-23', early: true, reason: 'in-process test before 15:30' };
    expect(await runCutoff(t.ctx, parseCutoffOptions([], early))).toBeUndefined();
    expect(JSON.parse(t.stdout())).toMatchObject({ status: 'done', pendingCount: 3, pendingTotal: '37500.00' });
  });

  it('verify returns 1 for a file that fails, and lists the problems on stdout', async () => {
    const file = suite.write('qs11242026000001.txt', 'not a clearing file\n');
    const t = suite.context();
    expect(await runVerify(t.ctx, { file })).toBe(ExitCode.error);
    expect(t.stdout()).toMatch(/^qs11242026000001\.txt FAILED:\n {2}/);
    expect(t.stderr()).toBe('');
    const viaMain = await suite.main(['settlement', 'verify', file]);
    expect(viaMain.code).toBe(1);
    expect(viaMain.stdout).toBe(t.stdout());
    expect(viaMain.stderr).toBe('');
  });

  it('a service error is thrown as the CrmError, not printed by the run', async () => {
    const t = suite.context();
    const run = runOpen(t.ctx, { date: '2026-11-22', force: false }); // a Sunday
    await expect(run).rejects.toBeInstanceOf(CrmError);
    expect(t.stdout()).toBe('');
    expect(t.stderr()).toBe('');
  });
});
