import { isValidTimeZone } from '../../domain/clock.js';
import { expected } from './kinds.js';
import type { SettingDef } from './types.js';

export const coreSettings: SettingDef[] = [
  {
    key: 'timezone',
    description: {
      zh: '业务时区：决定营业日期与作业时间',
      en: 'business time zone: decides business dates and job times',
    },
    default: 'Asia/Shanghai',
    parse(raw) {
      const v = raw.trim();
      if (!isValidTimeZone(v))
        expected({ zh: 'IANA 时区名，如 Asia/Shanghai', en: 'an IANA time zone such as Asia/Shanghai' });
      return v;
    },
  } satisfies SettingDef<string>,
];
