import { CrmError, ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';

/** A record id argument: a positive whole number, else a usage error naming it. */
export function idArg(value: string | undefined, what = 'ID'): number {
  const v = String(value ?? '').trim();
  if (!/^\d+$/.test(v) || Number(v) <= 0) {
    throw new CrmError(
      'E0002',
      m(`${what} 应为正整数："${value ?? ''}"`, `${what} must be a positive whole number: "${value ?? ''}"`),
      ExitCode.usage,
    );
  }
  return Number(v);
}
