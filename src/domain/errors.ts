import type { L10n } from './i18n.js';

export type { L10n } from './i18n.js';
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  noData: 3,
  permission: 4,
  conflict: 5,
  rowsRejected: 6,
  unreadable: 7,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
export class CrmError extends Error {
  constructor(
    public readonly code: string,
    public readonly messages: L10n,
    public readonly exitCode: ExitCodeValue = ExitCode.error,
    public readonly hint?: L10n,
  ) {
    super(messages.en);
    this.name = 'CrmError';
  }
}
export const usageError = (messages: L10n, hint?: L10n) => new CrmError('E0002', messages, ExitCode.usage, hint);
