/**
 * The HTML report in a real browser: Debian's chromium renders the page headless and dumps the DOM.
 * Without chromium (test/support/env.ts says where it looks) these tests are skipped, and globalSetup prints
 * how to run them; with CRM_TEST_REQUIRE_BROWSER=1 (CI) they fail instead.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunnel } from '../../src/reports/funnel.js';
import { buildPerformance } from '../../src/reports/performance.js';
import { buildReceivables } from '../../src/reports/receivables.js';
import { renderHtml } from '../../src/reports/render/html.js';
import { chromiumPath, requireBrowser } from '../support/env.js';

const CHROMIUM = chromiumPath;

function dumpDom(file: string): { dom: string; stderr: string; status: number | null } {
  if (!CHROMIUM) {
    throw new Error(
      'CRM_TEST_REQUIRE_BROWSER=1 but chromium is not installed: run "apt-get install -y chromium", or set CRM_TEST_CHROMIUM to its path',
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    return { dom: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const params = { from: '2026-11-01', to: '2026-11-30', owner: null, team: null };

describe.skipIf(!CHROMIUM && !requireBrowser)('HTML reports in headless chromium', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-html-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the performance page with its bar chart, Chinese labels and the right totals', () => {
    const model = buildPerformance(params, [
      {
        owner: '李雷',
        newCustomers: 2,
        followups: 5,
        orders: 2,
        ordersAmountFen: 10234567,
        receiptsFen: 3234567,
        refundsFen: 50050,
      },
      {
        owner: 'dave',
        newCustomers: 0,
        followups: 1,
        orders: 1,
        ordersAmountFen: 99999,
        receiptsFen: 80001,
        refundsFen: 0,
      },
    ]);
    const file = path.join(dir, 'performance.html');
    fs.writeFileSync(file, renderHtml(model, { lang: 'zh' }));
    const { dom, status } = dumpDom(file);
    expect(status).toBe(0);
    expect(dom).toContain('<title>客户经理业绩</title>');
    expect(dom).toMatch(/<svg[^>]*class="chart"/);
    expect((dom.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(4); // two series × two people
    expect(dom).toContain('李雷');
    expect(dom).toMatch(/data-total="ordersAmount">103,345\.66</);
    expect(dom).toMatch(/data-total="netReceived">32,645\.18</);
    expect(dom).not.toMatch(/<script/i);
  });

  it('draws the funnel and the ageing as stacked bars', () => {
    const funnel = buildFunnel(params, {
      stages: [
        { stage: '初步接触', probability: 10, count: 3, amountFen: 3000000, weightedFen: 300000 },
        { stage: '方案', probability: 50, count: 2, amountFen: 1000000, weightedFen: 500000 },
      ],
      forecastFen: 800000,
      won: 1,
      lost: 1,
    });
    const f = path.join(dir, 'funnel.html');
    fs.writeFileSync(f, renderHtml(funnel, { lang: 'zh' }));
    const fd = dumpDom(f).dom;
    expect(fd).toMatch(/<svg[^>]*class="chart"/);
    expect(fd).toContain('初步接触');
    expect(fd).toMatch(/data-total="forecast">预测金额：<b>8,000\.00</);

    const ageing = buildReceivables({ asOf: '2026-11-30' }, [
      {
        code: 'C1',
        name: '客户甲',
        owner: 'bob',
        orders: 1,
        totalFen: 100,
        receivedFen: 0,
        outstandingFen: 100,
        d0_30: 10,
        d31_60: 20,
        d61_90: 30,
        d90p: 40,
      },
    ]);
    const a = path.join(dir, 'ageing.html');
    fs.writeFileSync(a, renderHtml(ageing, { lang: 'en' }));
    const ad = dumpDom(a).dom;
    expect((ad.match(/<rect [^>]*height="22"/g) ?? []).length).toBe(4); // four buckets in one stacked bar
    expect(ad).toMatch(/data-total="outstanding">1\.00</);
  });
});
