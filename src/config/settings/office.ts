import { boolSetting, intSetting, stringSetting } from './kinds.js';
import type { SettingDef } from './types.js';

/** An SMTP URL with its password replaced by `***` (for `config show`, audit rows and logs). */
export function redactSmtpUrl(value: string): string {
  if (!value) return value;
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '***';
  }
}

const smtpSetting: SettingDef<string> = {
  ...stringSetting(
    'mail.smtp',
    '',
    {
      zh: '晨报邮件的 SMTP 地址：smtp://用户:密码@主机:端口 或 smtps://…（空：不发邮件；密码不显示、不记入审计）',
      en: 'SMTP URL for the morning digest: smtp://user:pass@host:port or smtps://… (empty: no e-mail; the password is never shown or audited)',
    },
    /^$|^smtps?:\/\/[^\s]+$/,
    'an SMTP URL smtp://user:pass@host:port or smtps://… (or empty)',
  ),
  format: redactSmtpUrl,
  redact: (v: unknown) => redactSmtpUrl(String(v ?? '')),
};

export const officeSettings: SettingDef[] = [
  boolSetting('worklog.requireDaily', false, {
    zh: '每个工作日须写日报：缺少时列入待办',
    en: 'a daily work log is required on working days: a missing one shows in the to-do list',
  }),
  intSetting(
    'todo.soonDays',
    3,
    {
      zh: '待办中“即将到期”的天数（回款计划、任务）',
      en: 'days ahead the to-do list counts as soon due (instalments, tasks)',
    },
    0,
    60,
  ),
  smtpSetting as SettingDef,
  stringSetting(
    'mail.from',
    '',
    { zh: '晨报邮件的发件人地址', en: 'sender address of the morning digest' },
    /^$|^[^\s@]+@[^\s@]+$|^.+<[^\s@]+@[^\s@]+>$/,
    'an e-mail address (or "Name <address>")',
  ),
];
