import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/io/text-layout.js';
import type { ReportModel } from '../../src/reports/model.js';
import { PAGE_SEPARATOR, renderPrint } from '../../src/reports/render/print.js';

function model(n: number, signatures = true): ReportModel {
  const rows = Array.from({ length: n }, (_, i) => ({
    unitCode: `1100${String(i).padStart(3, '0')}`,
    unitName: i % 2 ? '北京市财政局' : 'Unit ABC',
    count: i + 1,
    total: (i + 1) * 100_01,
  }));
  return {
    report: 'test',
    title: { zh: '财政拨付划款汇总清单', en: 'Summary list' },
    params: { date: '2026-11-23', status: 'pending' },
    subtitle: [{ zh: '清算类型：待清算', en: 'status: pending' }],
    columns: [
      { key: 'unitCode', label: { zh: '单位编码', en: 'unit code' }, kind: 'text' },
      { key: 'unitName', label: { zh: '单位名称', en: 'unit name' }, kind: 'text' },
      { key: 'count', label: { zh: '笔数', en: 'count' }, kind: 'int', sum: true },
      { key: 'total', label: { zh: '金额', en: 'amount' }, kind: 'money', sum: true },
    ],
    rows,
    totals: {
      count: rows.reduce((s, r) => s + r.count, 0),
      total: rows.reduce((s, r) => s + r.total, 0),
    },
    signatures,
  };
}

describe('printed form renderer', () => {
  it('paginates within the page length with page N/M, subtotals and one grand total', () => {
    const text = renderPrint(model(40), { lang: 'zh', pageLines: 20 });
    const pages = text.split(`\n${PAGE_SEPARATOR}\n`);
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => {
      const lines = page.replace(/\n$/, '').split('\n');
      expect(lines.length).toBeLessThanOrEqual(20);
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(page).toContain('本页小计');
      expect(page.includes('合计  ') || page.includes('合计 ')).toBe(i === pages.length - 1);
      expect(page.includes('经办：')).toBe(i === pages.length - 1);
    });
    // Subtotals add up to the grand total.
    let count = 0;
    for (const page of pages) {
      const sub = page.split('\n').find((l) => l.startsWith('本页小计')) ?? '';
      count += Number(sub.trim().split(/\s+/).at(-2));
    }
    expect(count).toBe((40 * 41) / 2);
    const last =
      pages
        .at(-1)
        ?.split('\n')
        .find((l) => /^合计\s/.test(l)) ?? '';
    expect(last).toMatch(/\s820\s+82,008\.20$/);
  });

  it('lines up columns with Chinese text: every row ends at the same display column', () => {
    const text = renderPrint(model(6), { lang: 'zh', pageLines: 50 });
    const lines = text.split('\n').filter((l) => /^1100|^单位编码|^本页小计|^合计\s/.test(l));
    expect(lines.length).toBe(9);
    const widths = new Set(lines.map((l) => displayWidth(l)));
    expect(widths.size).toBe(1);
    // The name column starts at the same display column on every row.
    const starts = lines
      .filter((l) => l.startsWith('1100'))
      .map((l) => displayWidth(l.slice(0, l.search(/北京|Unit/))));
    expect(new Set(starts).size).toBe(1);
  });

  it('prints an empty model as one page, English labels, no signatures unless asked', () => {
    const text = renderPrint(model(0, false), { lang: 'en', pageLines: 30 });
    expect(text).toContain('page 1 of 1');
    expect(text).toContain('(no rows)');
    expect(text).toMatch(/Grand total\s+0\s+0\.00/);
    expect(text).not.toContain('Prepared by');
  });

  it('writes a count line when no column is summed', () => {
    const m = model(3);
    m.columns = m.columns.map((c) => ({ ...c, sum: false }));
    expect(renderPrint(m, { lang: 'en' })).toContain('Grand total: 3 rows');
  });
});
