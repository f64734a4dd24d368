import fs from 'node:fs';

const out = process.env.CRM_TRACE_IMPORTS;

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (out) fs.appendFileSync(out, `${result.url}\n`);
  return result;
}
