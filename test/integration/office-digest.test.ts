import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import { listAudit } from '../../src/services/audit.js';
import { runJob } from '../../src/services/jobs/instances.js';
import { editProfile } from '../../src/services/office/directory.js';
import { addTask } from '../../src/services/office/tasks.js';
import { isolatedEnv, ROOT, runCliAsync } from '../support/cli.js';
import { type DbHarness, describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

const PASSWORD = 'Pw-9f3a-never-logged';

interface Received {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

/** A real SMTP server in this process: records what arrives, refuses the addresses in `refuse` (550). */
class MailSink {
  readonly received: Received[] = [];
  readonly refuse = new Set<string>();
  /** Called when a RCPT arrives (before the server answers), with how many messages arrived before it. */
  onRcpt: ((address: string, arrived: number) => void) | null = null;
  readonly auths: string[] = [];
  private server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, cb) => {
      this.auths.push(`${auth.username}:${auth.password}`);
      cb(null, { user: auth.username });
    },
    onRcptTo: (address, _session, cb) => {
      this.onRcpt?.(address.address, this.received.length);
      if (this.refuse.has(address.address)) {
        const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData: (stream, session, cb) => {
      simpleParser(stream)
        .then((mail) => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
          });
          cb();
        })
        .catch(cb);
    },
  });
  port = 0;
  async start(): Promise<void> {
    // A client killed mid-conversation resets its socket: expected here, not an error of the test.
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  url(): string {
    return `smtp://digest:${PASSWORD}@127.0.0.1:${this.port}`;
  }
  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }
}

async function setup(h: DbHarness, sink: MailSink): Promise<void> {
  h.clock.set('2026-11-23T07:50:00+08:00');
  const admin = await h.as();
  await h.addUser('carol', 'manager');
  for (const u of ['bob', 'dave', 'erin', 'fay']) await h.addUser(u, 'sales', 'carol');
  await h.addUser('gus', 'sales'); // nothing due: no e-mail
  await editProfile(admin, 'bob', { email: 'bob@example.com' });
  await editProfile(admin, 'dave', { email: 'dave@example.com', lang: 'en' });
  await editProfile(admin, 'erin', { email: 'erin@example.com' });
  await editProfile(admin, 'fay', { email: 'fay@example.com' });
  await editProfile(admin, 'gus', { email: 'gus@example.com' });
  // carol has no address: file only.
  for (const u of ['bob', 'dave', 'erin', 'fay', 'carol']) {
    await addTask(await h.as(u), { title: `${u} 的任务`, due: '2026-11-23 17:00' });
  }
  await admin.settings.set('mail.smtp', sink.url(), admin.actor, h.clock);
  await admin.settings.set('mail.from', 'crm@example.com', admin.actor, h.clock);
}

const digest = BUILTIN_JOBS.find((j) => j.name === 'daily-digest')!;

describeEachDb('daily-digest job: files and e-mail, once per user per day', (h) => {
  const sink = new MailSink();
  let reportsDir = '';
  beforeAll(async () => {
    await sink.start();
    await setup(h, sink);
    reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-digest-'));
  });
  afterAll(async () => {
    await sink.stop();
    fs.rmSync(reportsDir, { recursive: true, force: true });
  });
  const opts = () => ({ trigger: 'manual' as const, reportsDir, leaseMs: 60_000, log: () => {} });

  it('a refused recipient is recorded, the rest are sent; a plain rerun sends to the refused one only', async () => {
    sink.refuse.add('erin@example.com');
    const logs: string[] = [];
    const first = await runJob(await h.as(), digest, '2026-11-23', {
      ...opts(),
      log: (e, f) => logs.push(`${e} ${JSON.stringify(f ?? {})}`),
    });
    expect(first.state).toBe('failed');
    expect(first.error?.code).toBe('E5180');
    expect(first.error?.message).toContain('erin <erin@example.com>');
    expect(sink.received.map((r) => r.to[0]).sort()).toEqual([
      'bob@example.com',
      'dave@example.com',
      'fay@example.com',
    ]);
    // Subject and body in the user's language.
    expect(sink.to('bob@example.com')[0]?.subject).toBe('待办晨报 2026-11-23：1 项');
    expect(sink.to('bob@example.com')[0]?.text).toContain('bob 的任务');
    expect(sink.to('dave@example.com')[0]?.subject).toBe('Morning digest 2026-11-23: 1 item(s) to do');
    expect(sink.to('gus@example.com')).toEqual([]);
    // Files for every active user, including those with nothing due or no address.
    for (const u of ['admin', 'bob', 'carol', 'dave', 'erin', 'fay', 'gus']) {
      expect(fs.existsSync(path.join(reportsDir, '2026-11-23', 'digest', `${u}.txt`)), u).toBe(true);
    }
    expect(fs.readFileSync(path.join(reportsDir, '2026-11-23', 'digest', 'carol.txt'), 'utf8')).toContain(
      'carol 的任务',
    );
    const rows = await h
      .db()('digest_sends as d')
      .join('users as u', 'u.id', 'd.user_id')
      .select('u.name', 'd.status', 'd.error');
    const byName = Object.fromEntries(rows.map((r) => [r.name, r.status]));
    expect(byName).toEqual({ bob: 'sent', dave: 'sent', fay: 'sent', erin: 'refused' });
    expect(rows.find((r) => r.name === 'erin')?.error).toContain('550');

    sink.refuse.clear();
    const second = await runJob(await h.as(), digest, '2026-11-23', opts());
    expect(second.state).toBe('completed');
    expect(second.steps).toEqual([
      { name: 'write-files', status: 'resumed' },
      { name: 'send-mail', status: 'done' },
    ]);
    expect(sink.received.map((r) => r.to[0]).sort()).toEqual([
      'bob@example.com',
      'dave@example.com',
      'erin@example.com',
      'fay@example.com',
    ]);
    // The SMTP password went to the server only: not in the job's logs, records or the audit log.
    expect(sink.auths).toContain(`digest:${PASSWORD}`);
    const runs = await h.db()('job_runs').select('steps_json', 'result_json', 'error');
    const execs = await h.db()('job_executions').select('*');
    const audit = await listAudit(await h.as(), { limit: 1000 });
    const everything = JSON.stringify([logs, runs, execs, audit, await h.db()('digest_sends').select('*')]);
    expect(everything).not.toContain(PASSWORD);
    expect(audit.filter((a) => a.action === 'digest.sent').length).toBe(4);
  });

  it('an admin rerun of the completed day sends nobody a second e-mail', async () => {
    const before = sink.received.length;
    const r = await runJob(await h.as(), digest, '2026-11-23', { ...opts(), rerun: true, reason: 'test' });
    expect(r.state).toBe('completed');
    expect(sink.received.length).toBe(before);
    expect(r.result).toBeDefined();
  });
  it('an unreachable mail server fails the run (E5181) with every recipient left to send, and no password in the error', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const admin = await h.as();
    await admin.settings.set('mail.smtp', `smtp://digest:${PASSWORD}@127.0.0.1:${port}`, admin.actor, h.clock);
    const r = await runJob(admin, digest, '2026-11-20', opts());
    expect(r.state).toBe('failed');
    expect(r.error?.code).toBe('E5181');
    expect(r.error?.message).not.toContain(PASSWORD);
    const rows = await h.db()('digest_sends').where({ business_date: '2026-11-20' }).select('status', 'error');
    expect(rows.length).toBe(4);
    expect(rows.every((row) => row.status === 'failed' && !String(row.error).includes(PASSWORD))).toBe(true);
    await admin.settings.set('mail.smtp', sink.url(), admin.actor, h.clock);
  });
});

describeEachDb('daily-digest job across processes: killed mid-send, retried', (h) => {
  const sink = new MailSink();
  beforeAll(async () => {
    await sink.start();
    await setup(h, sink);
  });
  afterAll(() => sink.stop());

  it('nobody gets two e-mails and nobody is skipped', async () => {
    const home = testTempDir('crm-digest-proc-');
    const env = isolatedEnv(home, {
      CRM_DATABASE_URL: h.url(),
      CRM_NOW: '2026-11-23T08:00:00+08:00',
      CRM_JOBS_LEASE_MS: '1500',
    });
    env.XDG_DATA_HOME = path.join(home, 'data');
    // Kill the job at the second recipient: the first message was accepted (and marked sent), the second
    // was recorded as sending and never accepted.
    let child: ChildProcess | null = null;
    let killed = false;
    sink.onRcpt = (_address, arrived) => {
      if (arrived === 1 && !killed) {
        killed = true;
        child?.kill('SIGKILL');
      }
    };
    const done = new Promise<number>((resolve) => {
      child = spawn(
        process.execPath,
        [path.join(ROOT, 'bin', 'crm.js'), 'jobs', 'run', 'daily-digest', '--date', '2026-11-23'],
        {
          env,
          cwd: ROOT,
          stdio: 'ignore',
        },
      );
      child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : -2)));
    });
    expect(await done).toBe(-1);
    expect(killed).toBe(true);
    expect(sink.received.length).toBe(1);
    const states = await h.db()('digest_sends').orderBy('id').select('status');
    expect(states.map((s) => s.status)).toEqual(['sent', 'sending']);

    // Retry after the lease expired (the runner polls: no timed assertion).
    sink.onRcpt = null;
    // Asynchronously: this process serves the SMTP side while the CLI runs.
    let retry = await runCliAsync(['jobs', 'run', 'daily-digest', '--date', '2026-11-23'], env);
    for (let i = 0; i < 100 && retry.code === 5; i++) {
      await new Promise((r) => setTimeout(r, 200));
      retry = await runCliAsync(['jobs', 'run', 'daily-digest', '--date', '2026-11-23'], env);
    }
    expect(retry.code, retry.stderr).toBe(0);
    const addresses = sink.received.map((r) => r.to[0]).sort();
    expect(addresses).toEqual(['bob@example.com', 'dave@example.com', 'erin@example.com', 'fay@example.com']);
    expect(new Set(sink.received.map((r) => r.messageId)).size).toBe(4);
    expect(retry.stdout + retry.stderr).not.toContain(PASSWORD);
  });
});
