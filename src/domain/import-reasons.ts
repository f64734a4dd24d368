/**
 * The import engine's row reasons, read into Chinese for the summary and the reject report. Reasons are written
 * in English once (they are the stable text of `--json`); this table gives each pattern its Chinese form, so an
 * operator working in Chinese reads "必填" rather than "required". A reason the table does not know stays English
 * (a test feeds every reason the imports give through it).
 */
const PATTERNS: [RegExp, (g: string[]) => string][] = [
  [/^required$/, () => '必填'],
  [/^required \(customer code or unit code\)$/, () => '必填（客户编码或单位编码）'],
  [/^longer than (\d+) characters$/, ([n]) => `超过 ${n} 个字符`],
  [
    /^invalid code "(.*)" \(1-64 characters, no spaces or quotes\)$/,
    ([c]) => `编码无效："${c}"（1–64 个字符，不含空格或引号）`,
  ],
  [/^not an email address: (.*)$/, ([v]) => `不是电子邮箱地址：${v}`],
  [/^not a phone number: (.*)$/, ([v]) => `不是电话号码：${v}`],
  [/^grade must be A-E, not "(.*)"$/, ([g]) => `等级应为 A–E，而不是 "${g}"`],
  [/^unknown user: (.*)$/, ([u]) => `没有这个用户：${u}`],
  [/^user is disabled: (.*)$/, ([u]) => `用户已停用：${u}`],
  [/^a customer cannot be its own parent$/, () => '客户不能是自己的上级'],
  [/^duplicate code (.*): first at line (\d+)$/, ([c, l]) => `编码 ${c} 重复：首次出现在第 ${l} 行`],
  [/^parent (.*) was rejected \(line (\d+)\)$/, ([p, l]) => `上级 ${p} 被拒绝（第 ${l} 行）`],
  [
    /^parent code (.*) is neither in the database nor in the file$/,
    ([p]) => `上级编码 ${p} 既不在数据库中，也不在文件中`,
  ],
  [/^customer (.*) was deleted; it cannot be imported again$/, ([c]) => `客户 ${c} 已删除，不能再次导入`],
  [/^cycle: (.*) is below (.*) in the organisation tree$/, ([a, b]) => `循环：${a} 在组织树中位于 ${b} 之下`],
  [
    /^possible duplicate of customer (.*) \(same (.*)\)$/,
    ([c, w]) => `可能与客户 ${c} 重复（${w === 'name' ? '名称' : w === 'phone' ? '电话' : w}相同）`,
  ],
  [
    /^character (\d+) "(.*)" \((U\+[0-9A-F]+)\) cannot be written to the GBK clearing files$/,
    ([n, ch, cp]) => `第 ${n} 个字符 "${ch}"（${cp}）不能写入 GBK 清算文件`,
  ],
  [
    /^unit (.*) "(.*)": character (\d+) "(.*)" \((U\+[0-9A-F]+)\) cannot be written to the GBK clearing files; before the clear run (.*)$/,
    ([u, name, n, ch, cp, cmd]) =>
      `单位 ${u}"${name}"的第 ${n} 个字符 "${ch}"（${cp}）不能写入 GBK 清算文件；清算前请运行 ${cmd}`,
  ],
  [/^unknown customer "(.*)"$/, ([c]) => `没有这个客户："${c}"`],
  [/^unknown kind "(.*)" \(.*\)$/, ([k]) => `交易类型无效："${k}"（应为 划款/payment 或 退款/refund）`],
  [/^unknown account class "(.*)" \(known: (.*)\)$/, ([c, k]) => `账户分类无效："${c}"（可选：${k}）`],
  [
    /^invalid time "(.*)" \(.*\)$/,
    ([t]) => `时间无效："${t}"（应为 YYYY-MM-DD HH:mm[:ss] 业务时区时间，或带时区的 ISO 8601）`,
  ],
  [/^invalid amount(?: for .+)? "(.*)": at most two decimals$/, ([a]) => `金额无效："${a}"：最多两位小数`],
  [/^invalid amount(?: for .+)? "(.*)": (.*)$/, ([a, why]) => `金额无效："${a}"：${why}`],
  [/^expected yes or no, got "(.*)"$/, ([v]) => `应为 是/否（yes/no），而不是 "${v}"`],
  [/^(\d+) cells but the header has (\d+) columns$/, ([n, w]) => `本行有 ${n} 个单元格，表头有 ${w} 列`],
  [/^unknown column, ignored \(did you mean (.*)\?\)$/, ([g]) => `未知的列，已忽略（是不是 ${g}？）`],
  [/^unknown column, ignored$/, () => '未知的列，已忽略'],
];

export function importReasonZh(reason: string): string {
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(reason);
    if (m) return zh(m.slice(1).map((g) => g ?? ''));
  }
  return reason;
}

/** A row reason in the user's language. */
export function importReason(reason: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? importReasonZh(reason) : reason;
}

/** The imports' column keys as a Chinese user's header calls them (the first Chinese alias of each). */
const COLUMN_ZH: Readonly<Record<string, string>> = {
  code: '编码',
  name: '名称',
  parent_code: '上级编码',
  industry: '行业',
  region: '地区',
  address: '地址',
  phone: '电话',
  email: '邮箱',
  source: '来源',
  owner: '负责人',
  grade: '等级',
  contact_name: '联系人',
  contact_phone: '联系人电话',
  contact_email: '联系人邮箱',
  note: '备注',
  ref: '流水号',
  occurred_at: '交易时间',
  customer: '客户编码',
  kind: '交易类型',
  amount: '金额',
  account_class: '账户分类',
  payer_account: '付款账号',
  memo: '摘要',
  price: '单价',
  unit: '单位',
  category: '分类',
  on_sale: '在售',
};

/** A column key in the user's language (an unknown header is shown as it was written). */
export function importColumn(column: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? (COLUMN_ZH[column] ?? column) : column;
}
