import type { L10n } from './errors.js';

/**
 * The default opportunity stages' names as people read them. The stored names (and `--json`) stay the stable
 * English keys; a stage an admin added keeps its own name in both languages.
 */
const DEFAULT_STAGE_LABELS: Readonly<Record<string, L10n>> = {
  Prospecting: { zh: '初步接洽', en: 'Prospecting' },
  Qualification: { zh: '需求确认', en: 'Qualification' },
  Proposal: { zh: '方案报价', en: 'Proposal' },
  Negotiation: { zh: '商务谈判', en: 'Negotiation' },
  Won: { zh: '赢单', en: 'Won' },
  Lost: { zh: '输单', en: 'Lost' },
};

export function stageLabel(name: string): L10n {
  return DEFAULT_STAGE_LABELS[name] ?? { zh: name, en: name };
}
