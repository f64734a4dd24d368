import type { L10n } from '../../domain/errors.js';

/** One business setting, shared by everyone on the database. */
export interface SettingDef<T = unknown> {
  key: string;
  description: L10n;
  default: T;
  /** Turn the text an admin typed (`crm config set KEY VALUE`) into a typed value, or throw with a reason. */
  parse(raw: string): T;
  /** Render for `crm config show`. */
  format?(value: T): string;
  /** A secret's value as audit rows and JSON may show it (e.g. an SMTP URL without its password). */
  redact?(value: unknown): unknown;
}

export type SettingParseError = { reason: L10n };
