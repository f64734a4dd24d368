/**
 * OWASP CSV injection: a cell that starts with = + - @ tab or CR may run as a formula in a spreadsheet.
 * Such cells get a leading apostrophe, except plain numbers (`-12.50` stays a number).
 */
const DANGEROUS_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (DANGEROUS_START.test(text) && !PLAIN_NUMBER.test(text)) return `'${text}`;
  return text;
}

/** Undo `safeCell` when a file we exported is imported again (round trip). */
export function unsafeCell(text: string): string {
  if (text.startsWith("'") && DANGEROUS_START.test(text.slice(1)) && !PLAIN_NUMBER.test(text.slice(1)))
    return text.slice(1);
  return text;
}
