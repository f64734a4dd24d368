import { expected, intSetting, jsonSetting, stringSetting } from './kinds.js';
import type { SettingDef } from './types.js';

export type StageDef = { name: string; probability: number };

export const DEFAULT_STAGES: StageDef[] = [
  { name: 'Prospecting', probability: 10 },
  { name: 'Qualification', probability: 20 },
  { name: 'Proposal', probability: 50 },
  { name: 'Negotiation', probability: 80 },
  { name: 'Won', probability: 100 },
  { name: 'Lost', probability: 0 },
];

export const orderSettings: SettingDef[] = [
  intSetting(
    'orders.approvalDiscountPercent',
    10,
    { zh: '行折扣超过该百分比需审批', en: 'a line discount above this percent needs approval' },
    0,
    100,
  ),
  {
    key: 'orders.approvalAmount',
    description: {
      zh: '订单总额超过该金额（元）需审批；内部以分存储',
      en: 'an order total above this amount (yuan) needs approval; stored in fen',
    },
    default: 10_000_000,
    parse(raw: string) {
      const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(raw);
      if (!m) expected({ zh: '以元为单位、最多两位小数的金额', en: 'an amount in yuan with at most two decimals' });
      return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    },
    format: (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`,
  },
  stringSetting(
    'orders.numberPattern',
    'SO{YYYYMMDD}-{SEQ4}',
    {
      zh: '订单号模板：{YYYYMMDD} 日期，{SEQn} n 位序号',
      en: 'order number pattern: {YYYYMMDD} date, {SEQn} n-digit sequence',
    },
    /\{SEQ\d\}/,
    'a pattern containing {SEQn}',
  ),
  jsonSetting(
    'opportunities.stages',
    DEFAULT_STAGES,
    { zh: '商机阶段及赢单概率', en: 'opportunity stages and their probabilities' },
    (v) => {
      if (!Array.isArray(v) || v.length === 0) return 'a JSON array of {"name","probability"}';
      for (const s of v) {
        if (
          !s ||
          typeof s.name !== 'string' ||
          !Number.isInteger(s.probability) ||
          s.probability < 0 ||
          s.probability > 100
        ) {
          return 'each stage needs a name and an integer probability 0-100';
        }
      }
      return null;
    },
  ),
];
