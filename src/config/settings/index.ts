import { approvalSettings } from './approvals.js';
import { authSettings } from './auth.js';
import { coreSettings } from './core.js';
import { customerSettings } from './customers.js';
import { jobSettings } from './jobs.js';
import { officeSettings } from './office.js';
import { orderSettings } from './orders.js';
import { serviceSettings } from './service.js';
import { settlementSettings } from './settlement.js';
import type { SettingDef } from './types.js';

/** Every business setting, by key. Each area declares its own in its file. */
export const SETTING_DEFS: ReadonlyMap<string, SettingDef> = new Map(
  [
    ...coreSettings,
    ...customerSettings,
    ...orderSettings,
    ...settlementSettings,
    ...serviceSettings,
    ...jobSettings,
    ...officeSettings,
    ...approvalSettings,
    ...authSettings,
  ].map((d) => [d.key, d]),
);

export type { SettingDef } from './types.js';
