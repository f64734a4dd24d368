import { beforeAll, expect, it } from 'vitest';
import { CrmError } from '../../src/domain/errors.js';
import { listAudit } from '../../src/services/audit.js';
import { addAnnouncement, listAnnouncements, readAnnouncement } from '../../src/services/office/announcements.js';
import { editProfile, listDirectory } from '../../src/services/office/directory.js';
import { addLog, listLogs } from '../../src/services/office/logs.js';
import { isolatedEnv, runCli } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmError) return err.code;
    throw err;
  }
  return 'no error';
}

describeEachDb('office: work logs, announcements, the directory, the SMTP secret', (h) => {
  beforeAll(async () => {
    h.clock.set('2026-11-25T18:00:00+08:00'); // Wednesday
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('erin', 'sales');
  });

  it('logs: kinds, dates normalised to the week and month, no future dates; managers read the team', async () => {
    const bob = await h.as('bob');
    expect(await addLog(bob, { kind: 'daily', content: '拜访东城区财政局' })).toMatchObject({
      kind: 'daily',
      date: '2026-11-25',
    });
    expect((await addLog(bob, { kind: '周报', content: '本周拜访 3 家' })).date).toBe('2026-11-23');
    expect((await addLog(bob, { kind: 'monthly', content: '11 月总结' })).date).toBe('2026-11-01');
    expect(await code(addLog(bob, { kind: 'daily', content: 'x', date: '2026-11-26' }))).toBe('E5142');
    expect(await code(addLog(bob, { kind: 'yearly', content: 'x' }))).toBe('E5140');
    expect(await code(addLog(bob, { kind: 'daily', content: ' ' }))).toBe('E5141');
    expect(await code(addLog(bob, { kind: 'daily', content: 'x', customers: ['NOPE'] }))).toBe('E5105');
    await addLog(await h.as('erin'), { kind: 'daily', content: 'erin 的日报' });
    const carol = await h.as('carol');
    expect((await listLogs(carol, { team: true })).map((l) => l.user)).toEqual(['bob', 'bob', 'bob']);
    expect((await listLogs(carol, { user: 'bob', kind: 'daily' })).map((l) => l.content)).toEqual(['拜访东城区财政局']);
    expect(await code(listLogs(carol, { user: 'erin' }))).toBe('E5171');
    expect(await code(listLogs(bob, { team: true }))).toBe('E5170');
    expect((await listLogs(bob, { from: '2026-11-20' })).length).toBe(2);
  });

  it('announcements: admins and managers publish; unread marks per reader; expired ones hidden', async () => {
    expect(await code(addAnnouncement(await h.as('bob'), { title: 't', content: 'c' }))).toBe('E4001');
    const a1 = await addAnnouncement(await h.as(), {
      title: '年终结算安排',
      content: '12 月 31 日系统升级',
      pin: true,
    });
    const a2 = await addAnnouncement(await h.as('carol'), {
      title: '周五例会',
      content: '改到 15:00',
      until: '2026-11-27',
    });
    expect(await code(addAnnouncement(await h.as(), { title: 'x', content: 'y', until: '2026-11-01' }))).toBe('E5190');
    const bob = await h.as('bob');
    expect((await listAnnouncements(bob)).map((a) => [a.id, a.read])).toEqual([
      [a1.id, false],
      [a2.id, false],
    ]);
    expect((await readAnnouncement(bob, a2.id)).content).toBe('改到 15:00');
    await readAnnouncement(bob, a2.id); // twice: one mark, one audit row
    expect((await listAnnouncements(bob, { unread: true })).map((a) => a.id)).toEqual([a1.id]);
    expect((await listAnnouncements(await h.as('erin'), { unread: true })).length).toBe(2);
    expect((await listAudit(await h.as(), { entity: 'announcement', action: 'announcements.read' })).length).toBe(1);
    expect(await code(readAnnouncement(bob, 999))).toBe('E5150');
    h.clock.set('2026-11-28T09:00:00+08:00');
    expect((await listAnnouncements(bob)).map((a) => a.id)).toEqual([a1.id]);
    expect((await listAnnouncements(bob, { all: true })).length).toBe(2);
    h.clock.set('2026-11-25T18:00:00+08:00');
  });

  it('directory: users edit their own entry, admins anyone; bad phones and e-mails refused; audited', async () => {
    const bob = await h.as('bob');
    await editProfile(bob, 'bob', {
      department: '客户部',
      title: '客户经理',
      mobile: '13800010001',
      email: 'bob@example.com',
    });
    await editProfile(await h.as(), 'carol', { department: '客户部', title: '经理', phone: '010-65550000' });
    expect(await code(editProfile(bob, 'carol', { title: 'x' }))).toBe('E4001');
    expect(await code(editProfile(bob, 'bob', { email: 'not-an-address' }))).toBe('E5160');
    expect(await code(editProfile(bob, 'bob', { mobile: 'call me' }))).toBe('E5161');
    expect(await code(editProfile(bob, 'bob', { lang: 'fr' }))).toBe('E5162');
    expect(await code(editProfile(await h.as(), 'ghost', { title: 'x' }))).toBe('E1401');
    const dir = await listDirectory(bob);
    expect(dir.slice(0, 2).map((d) => [d.department, d.name, d.title])).toEqual([
      ['客户部', 'bob', '客户经理'],
      ['客户部', 'carol', '经理'],
    ]);
    expect(dir.find((d) => d.name === 'bob')).toMatchObject({ mobile: '13800010001', email: 'bob@example.com' });
    expect((await listAudit(await h.as(), { entity: 'user', entityId: 'bob', action: 'users.edit' })).length).toBe(1);
  });

  it('the SMTP password never shows: config show, config get --json, the audit row; set from stdin', () => {
    const home = testTempDir('crm-smtp-');
    const env = isolatedEnv(home, { CRM_DATABASE_URL: h.url() });
    const set = runCli(
      ['config', 'set', 'mail.smtp', '-'],
      env,
      undefined,
      'smtp://digest:S3cret-pw@mail.example.com:587\n',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('smtp://digest:***@mail.example.com:587');
    const show = runCli(['config', 'show'], env);
    const get = runCli(['--json', 'config', 'get', 'mail.smtp'], env);
    const audit = runCli(['--json', 'audit', 'list', '--entity', 'setting'], env);
    for (const r of [set, show, get, audit]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain('S3cret-pw');
    }
    expect(JSON.parse(get.stdout).value).toBe('smtp://digest:***@mail.example.com:587');
    expect(show.stdout).toContain('mail.smtp');
  });
});
