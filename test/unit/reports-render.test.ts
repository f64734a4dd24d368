import { describe, expect, it } from 'vitest';
import { monthsOf, pct, presetPeriod, resolvePeriod, weightedFen } from '../../src/reports/common.js';
import { buildFunnel } from '../../src/reports/funnel.js';
import { buildPerformance } from '../../src/reports/performance.js';
import { quantityString } from '../../src/reports/ranking.js';
import { renderCsv } from '../../src/reports/render/csv.js';
import { type RenderEnv, renderReportText } from '../../src/reports/render/index.js';
import { toJson } from '../../src/reports/render/json.js';
import { blockBars, renderTsv } from '../../src/reports/render/table.js';

describe('report helpers', () => {
  it('rounds the weighted amount half up per opportunity', () => {
    expect(weightedFen(1000005, 10)).toBe(100001); // 100000.5
    expect(weightedFen(1000004, 10)).toBe(100000); // 100000.4
    expect(weightedFen(33333, 50)).toBe(16667);
    expect(weightedFen(0, 80)).toBe(0);
  });

  it('gives exact percents', () => {
    expect(pct(1, 3)).toBe('33.33');
    expect(pct(2, 3)).toBe('66.67');
    expect(pct(5, 0)).toBe('0.00');
    expect(pct(10234567, 10000000)).toBe('102.35');
  });

  it('resolves period presets and months', () => {
    expect(presetPeriod('last-month', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetPeriod('this-quarter', '2026-11-23')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetPeriod('this-month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(resolvePeriod({ from: '2026-11-05' }, '2026-11-23')).toEqual({ from: '2026-11-05', to: '2026-11-30' });
    expect(() => resolvePeriod({ period: 'someday' }, '2026-11-23')).toThrow(/unknown period/);
    expect(monthsOf({ from: '2026-11-15', to: '2027-01-02' })).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(quantityString(2500)).toBe('2.5');
    expect(quantityString(3000)).toBe('3');
    expect(quantityString(5)).toBe('0.005');
  });
});

describe('renderers', () => {
  const model = buildPerformance({ from: '2026-11-01', to: '2026-11-30' }, [
    {
      owner: 'bob',
      newCustomers: 1,
      followups: 2,
      orders: 1,
      ordersAmountFen: 123456,
      receiptsFen: 100000,
      refundsFen: 1,
    },
  ]);

  it('writes the JSON contract with yuan strings', () => {
    expect(toJson(model)).toEqual({
      report: 'performance',
      params: { from: '2026-11-01', to: '2026-11-30' },
      rows: [
        {
          owner: 'bob',
          newCustomers: 1,
          followups: 2,
          orders: 1,
          ordersAmount: '1234.56',
          receipts: '1000.00',
          refunds: '0.01',
          netReceived: '999.99',
        },
      ],
      totals: {
        newCustomers: 1,
        followups: 2,
        orders: 1,
        ordersAmount: '1234.56',
        receipts: '1000.00',
        refunds: '0.01',
        netReceived: '999.99',
      },
    });
  });

  it('writes CSV with a totals line and TSV without', () => {
    expect(renderCsv(model)).toBe(
      'owner,newCustomers,followups,orders,ordersAmount,receipts,refunds,netReceived\n' +
        'bob,1,2,1,1234.56,1000.00,0.01,999.99\n' +
        'total,1,2,1,1234.56,1000.00,0.01,999.99\n',
    );
    expect(renderTsv(model).split('\n')[1]).toBe('bob\t1\t2\t1\t1234.56\t1000.00\t0.01\t999.99');
  });

  it('neutralises spreadsheet formulas in CSV', () => {
    const evil = buildPerformance({}, [
      { owner: '=cmd()', newCustomers: 0, followups: 0, orders: 0, ordersAmountFen: 0, receiptsFen: 0, refundsFen: 0 },
    ]);
    expect(renderCsv(evil).split('\n')[1]?.startsWith('=')).toBe(false);
  });

  it('draws block bars scaled to the largest value', () => {
    const lines = blockBars(
      [
        { label: '方案', value: 100, text: '100' },
        { label: 'won', value: 50, text: '50' },
        { label: 'zero', value: 0, text: '0' },
      ],
      10,
    );
    expect(lines[0]).toBe(`方案  ${'█'.repeat(10)}  100`);
    expect(lines[1]).toBe(`won   ${'█'.repeat(5)}${' '.repeat(5)}  50`);
    expect(lines[2]).toBe(`zero  ${' '.repeat(10)}  0`);
  });

  it('states funnel conversion and win rate', () => {
    const f = buildFunnel(
      {},
      {
        stages: [
          { stage: 'A', probability: 10, count: 3, amountFen: 300, weightedFen: 30 },
          { stage: 'B', probability: 50, count: 1, amountFen: 100, weightedFen: 50 },
        ],
        forecastFen: 80,
        won: 1,
        lost: 3,
      },
    );
    // reached A: 3 + 1 + 1 won = 5; reached B: 1 + 1 won = 2 → 40%
    expect(f.totals.conversion).toBe('A→B 40.00%');
    expect(f.totals.winRate).toBe('25.00');
  });

  it('renders from a RenderEnv alone: the language, and "printed" in its time zone', () => {
    const env = (lang: 'zh' | 'en', timeZone: string): RenderEnv => ({
      lang,
      timeZone,
      now: new Date('2026-11-23T08:05:00Z'),
    });
    const zh = renderReportText(model, 'table', env('zh', 'Asia/Shanghai'));
    expect(zh.split('\n')[0]).toBe('客户经理业绩');
    expect(zh).toContain('合计');
    const en = renderReportText(model, 'print', env('en', 'Asia/Shanghai'));
    expect(en).toContain('2026-11-23 16:05:00');
    expect(renderReportText(model, 'print', env('en', 'UTC'))).toContain('2026-11-23 08:05:00');
  });

  it('draws funnel bars under the table only when asked (a terminal), never when piped', () => {
    const f = buildFunnel(
      {},
      {
        stages: [{ stage: 'A', probability: 10, count: 3, amountFen: 300, weightedFen: 30 }],
        forecastFen: 30,
        won: 0,
        lost: 0,
      },
    );
    const env: RenderEnv = { lang: 'en', timeZone: 'Asia/Shanghai', now: new Date('2026-11-23T08:05:00Z') };
    expect(renderReportText(f, 'table', env, { bars: true })).toContain('█');
    expect(renderReportText(f, 'table', env)).not.toContain('█');
  });
});
