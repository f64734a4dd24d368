import { enumSetting, intSetting, listSetting } from './kinds.js';
import type { SettingDef } from './types.js';

export const AUTH_MODES = ['os', 'password'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Sign-in: how people prove who they are (README, "Security and backups"). */
export const authSettings: SettingDef[] = [
  enumSetting('auth.mode', 'os', AUTH_MODES, {
    zh: '登录方式（可选：os, password）：前者以操作系统账户为身份，后者用 crm login 登录',
    en: 'sign-in: os (the operating-system account is the identity) or password (crm login)',
  }),
  listSetting(
    'auth.osAdmins',
    [],
    {
      zh: 'os 方式下可代任何用户操作的操作系统账户（crm init 记下运行它的账户）',
      en: 'os mode: operating-system accounts that may act as any user (crm init records the account that ran it)',
    },
    { mayBeEmpty: true },
  ),
  intSetting('auth.sessionHours', 12, { zh: '登录会话有效小时数', en: 'hours a sign-in session lasts' }, 1, 24 * 90),
  intSetting(
    'auth.idleMinutes',
    120,
    { zh: '会话闲置多少分钟后失效', en: 'minutes of idleness after which a session ends' },
    1,
    24 * 60 * 90,
  ),
  intSetting(
    'auth.maxFailures',
    5,
    { zh: '连续几次密码错误后锁定账户', en: 'wrong passwords in a row before the account locks' },
    1,
    100,
  ),
  intSetting('auth.lockMinutes', 15, { zh: '账户锁定分钟数', en: 'minutes an account stays locked' }, 1, 24 * 60),
  intSetting('auth.minPasswordLength', 10, { zh: '密码最短长度', en: 'shortest password allowed' }, 8, 128),
];
