import { expect, it } from 'vitest';
import { dialectOf } from '../../src/db/connection.js';
import { CrmError } from '../../src/domain/errors.js';
import { listAudit } from '../../src/services/audit.js';
import { addOverride, importYear, loadCalendar } from '../../src/services/calendar.js';
import { releaseLock, tryAcquireLock, withLock } from '../../src/services/locks.js';
import { addUser, disableUser, scopeUserIds, setSupervisor } from '../../src/services/users.js';
import { describeEachDb } from '../support/db.js';

describeEachDb('foundation services', (h) => {
  it.skipIf(h.name !== 'sqlite')('SQLite connections are durable and enforce relations (SQLite only)', async () => {
    const db = h.db();
    expect(dialectOf(db)).toBe('sqlite');
    const mode = await db.raw('pragma journal_mode');
    const fk = await db.raw('pragma foreign_keys');
    const sync = await db.raw('pragma synchronous');
    expect(mode[0].journal_mode).toBe('wal');
    expect(fk[0].foreign_keys).toBe(1);
    expect(sync[0].synchronous).toBe(2); // FULL
  });

  it('settings are typed, validated, audited', async () => {
    const admin = await h.as('admin');
    expect(await admin.settings.get('settlement.cutoffAt')).toBe('15:30');
    await admin.settings.set('settlement.maxRowsPerFile', '200', admin.actor, admin.clock);
    expect(await admin.settings.get('settlement.maxRowsPerFile')).toBe(200);
    await expect(admin.settings.set('settlement.cutoffAt', '25:00', admin.actor, admin.clock)).rejects.toThrow(/HH:mm/);
    await expect(admin.settings.set('pool.exemptLocked', 'maybe', admin.actor, admin.clock)).rejects.toThrow(
      /true or false/,
    );
    const audit = await listAudit(admin, { entity: 'setting', entityId: 'settlement.maxRowsPerFile' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user: 'admin', action: 'settings.set', before: 499, after: 200 });
  });

  it('only admins change settings and users', async () => {
    await h.addUser('sam', 'sales');
    const sam = await h.as('sam');
    await expect(sam.settings.set('settlement.bankCode', '1234', sam.actor, sam.clock)).rejects.toMatchObject({
      code: 'E4001',
      exitCode: 4,
    });
    await expect(addUser(sam, { name: 'x', role: 'admin' })).rejects.toMatchObject({ exitCode: 4 });
    await expect(listAudit(sam, {})).rejects.toMatchObject({ exitCode: 4 });
  });

  it('a manager sees everyone below them at any depth; sales see themselves', async () => {
    const admin = await h.as('admin');
    await addUser(admin, { name: 'boss', role: 'manager' });
    await addUser(admin, { name: 'lead', role: 'manager', supervisor: 'boss' });
    await addUser(admin, { name: 'rep1', role: 'sales', supervisor: 'lead' });
    await addUser(admin, { name: 'rep2', role: 'sales', supervisor: 'boss' });
    const ids = async (name: string) => {
      const ctx = await h.as(name);
      const scope = await scopeUserIds(ctx);
      if (scope === null) return null;
      const rows = await ctx.db('users').whereIn('id', scope).orderBy('name').pluck('name');
      return rows;
    };
    expect(await ids('boss')).toEqual(['boss', 'lead', 'rep1', 'rep2']);
    expect(await ids('lead')).toEqual(['lead', 'rep1']);
    expect(await ids('rep1')).toEqual(['rep1']);
    expect(await ids('admin')).toBeNull();
    await expect(setSupervisor(admin, 'boss', 'rep1')).rejects.toThrow(/loop/);
    await disableUser(admin, 'rep2');
    await expect(h.as('rep2')).rejects.toMatchObject({ code: 'E4003' });
  });

  it('calendar overrides and imported years come from the database', async () => {
    const admin = await h.as('admin');
    await addOverride(admin, { date: '2007-09-22', kind: 'workday', reason: '总中心周末开机维护' });
    await addOverride(admin, { date: '2026-11-25', kind: 'closure', reason: 'upgrade' });
    let cal = await loadCalendar(admin.db);
    expect(cal.previousWorkingDay('2007-09-24')).toBe('2007-09-22');
    expect(cal.isWorkingDay('2026-11-25')).toBe(false);
    expect(() => cal.isWorkingDay('2027-03-01')).toThrow(CrmError);
    await importYear(
      admin,
      { year: 2027, confirmed: true, holidays: { '2027-01-01': '元旦' }, workdays: {} },
      'test.json',
    );
    cal = await loadCalendar(admin.db);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-03-01')).toBe(true);
    await expect(
      importYear(admin, { year: 2027, confirmed: true, holidays: { '2028-01-01': 'x' } }, 'bad.json'),
    ).rejects.toThrow(/not a date in 2027/);
  });

  it('locks exclude a second holder and are taken over after their lease expires', async () => {
    const db = h.db();
    const first = await tryAcquireLock(db, 'clear:2026-11-23', 'host:1', 60_000);
    expect('heldBy' in first).toBe(false);
    const second = await tryAcquireLock(db, 'clear:2026-11-23', 'host:2', 60_000);
    expect('heldBy' in second && second.heldBy.holder).toBe('host:1');
    await releaseLock(db, 'clear:2026-11-23', 'host:1');
    // A holder that died: its lease is already over.
    await tryAcquireLock(db, 'dead', 'host:3', -1000);
    const takeover = await tryAcquireLock(db, 'dead', 'host:4', 60_000);
    expect('heldBy' in takeover).toBe(false);
    await expect(
      withLock(db, 'dead', async () => {
        return 1;
      }),
    ).rejects.toMatchObject({ code: 'E5002', exitCode: 5 });
    expect(await withLock(db, 'free', async () => 42)).toBe(42);
    expect(await db('locks').where({ name: 'free' }).first()).toBeUndefined();
  });
});
