import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS, type RenderEnv, renderReportText } from '../../src/reports/render/index.js';
import {
  buildSatisfactionReport,
  buildServiceReport,
  hoursString,
  meanOf,
  p90,
  type ServiceTicketFacts,
} from '../../src/reports/service.js';

const fact = (over: Partial<ServiceTicketFacts>): ServiceTicketFacts => ({
  kind: 'complaint',
  priority: 'high',
  handler: 'bob',
  received: true,
  resolved: false,
  open: false,
  responseMet: true,
  resolveMet: null,
  breached: false,
  minutesToResolve: null,
  scores: [],
  ...over,
});

describe('service report builder', () => {
  it('exact means, hours and the 90th percentile by nearest rank', () => {
    expect(meanOf([5, 4, 4])).toBe('4.33');
    expect(meanOf([5, 4])).toBe('4.50');
    expect(meanOf([])).toBeNull();
    expect(hoursString(150)).toBe('2.50');
    expect(hoursString(20)).toBe('0.33');
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    expect(p90([7])).toBe(7);
    expect(p90([])).toBeNull();
  });

  it('rows per kind and priority with received, resolved, open, breached, met %, hours, satisfaction', () => {
    const model = buildServiceReport({ from: '2026-11-01', to: '2026-11-30' }, [
      fact({ resolved: true, resolveMet: true, minutesToResolve: 60, scores: [5] }),
      fact({
        resolved: true,
        resolveMet: false,
        minutesToResolve: 600,
        breached: true,
        responseMet: false,
        scores: [2],
      }),
      fact({ open: true, responseMet: null }),
      fact({ kind: 'fault', priority: 'urgent', handler: 'dave', open: true, breached: true, responseMet: false }),
    ]);
    expect(model.rows).toEqual([
      {
        kind: 'complaint',
        kindName: '投诉',
        priority: 'high',
        priorityName: '高',
        received: 3,
        resolved: 2,
        open: 1,
        breached: 1,
        responseMet: '50.00',
        resolveMet: '50.00',
        meanHours: '5.50',
        p90Hours: '10.00',
        satisfaction: '3.50',
      },
      {
        kind: 'fault',
        kindName: '故障',
        priority: 'urgent',
        priorityName: '紧急',
        received: 1,
        resolved: 0,
        open: 1,
        breached: 1,
        responseMet: '0.00',
        resolveMet: null,
        meanHours: null,
        p90Hours: null,
        satisfaction: null,
      },
    ]);
    expect(model.totals).toMatchObject({ received: 4, resolved: 2, open: 2, breached: 2, responseMet: '33.33' });
    const byHandler = buildServiceReport({}, [fact({}), fact({ handler: 'dave' }), fact({ handler: null })], 'handler');
    expect(byHandler.rows.map((r) => [r.handler, r.received])).toEqual([
      ['-', 1],
      ['bob', 1],
      ['dave', 1],
    ]);
  });

  it('every format renders both reports, HTML with its chart', () => {
    const env: RenderEnv = { lang: 'zh', timeZone: 'Asia/Shanghai', now: new Date('2026-11-23T02:00:00Z') };
    const service = buildServiceReport({ from: '2026-11-01', to: '2026-11-30' }, [fact({ scores: [4] })]);
    const trend = buildSatisfactionReport({ months: 2 }, [
      { month: '2026-10', revisitScores: [5, 4], surveyScores: [3], complaints: 2 },
      { month: '2026-11', revisitScores: [], surveyScores: [], complaints: 0 },
    ]);
    expect(trend.rows[0]).toEqual({
      month: '2026-10',
      revisits: 2,
      revisitAverage: '4.50',
      surveyResponses: 1,
      surveyAverage: '3.00',
      complaints: 2,
    });
    for (const model of [service, trend]) {
      for (const format of REPORT_FORMATS)
        expect(renderReportText(model, format, env).length, `${model.report} ${format}`).toBeGreaterThan(20);
      expect(renderReportText(model, 'html', env)).toContain('<svg');
      expect(JSON.parse(renderReportText(model, 'json', env)).report).toBe(model.report);
    }
  });
});
