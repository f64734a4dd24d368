import type { Command } from 'commander';
import { act, group, type RawOptions, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import type { AnnouncementInput, AnnouncementRecord } from '../../services/office/announcements.js';
import { idArg } from './shared.js';

const loadAnnouncements = () => import('../../services/office/announcements.js');

export type AddAnnouncementOptions = AnnouncementInput;

export function parseAddAnnouncementOptions(_args: string[], raw: RawOptions): AddAnnouncementOptions {
  return {
    title: stringOption(raw, 'title') ?? '',
    content: stringOption(raw, 'content') ?? '',
    until: stringOption(raw, 'until'),
    pin: Boolean(raw.pin),
  };
}

export async function runAddAnnouncement(ctx: CliContext, opts: AddAnnouncementOptions): Promise<void> {
  const { addAnnouncement } = await loadAnnouncements();
  const a = await addAnnouncement(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, a);
  ctx.out(ctx.t(m('已发布公告 {id}：{title}', 'published announcement {id}: {title}'), { id: a.id, title: a.title }));
}

export interface ListAnnouncementsOptions {
  all: boolean;
  unread: boolean;
}

export const parseListAnnouncementsOptions = (_args: string[], raw: RawOptions): ListAnnouncementsOptions => ({
  all: Boolean(raw.all),
  unread: Boolean(raw.unread),
});

export async function runListAnnouncements(ctx: CliContext, opts: ListAnnouncementsOptions): Promise<void> {
  const { listAnnouncements } = await loadAnnouncements();
  const rows = await listAnnouncements(await ctx.services(), opts);
  const columns: Column<AnnouncementRecord>[] = [
    { key: 'read', label: m('未读', 'unread'), value: (r) => (r.read ? '' : '●') },
    { key: 'id', label: m('编号', 'id'), align: 'right' },
    {
      key: 'title',
      label: m('标题', 'title'),
      value: (r) => (r.pinned ? `[${ctx.t(m('置顶', 'pinned'))}] ${r.title}` : r.title),
    },
    { key: 'author', label: m('发布人', 'by') },
    { key: 'createdAt', label: m('发布时间', 'published'), time: true },
    { key: 'until', label: m('有效至', 'until') },
  ];
  renderRows(ctx, columns, rows, { empty: m('没有公告', 'no announcements') });
}

export interface ReadAnnouncementOptions {
  id: number;
}

export async function runReadAnnouncement(ctx: CliContext, opts: ReadAnnouncementOptions): Promise<void> {
  const { readAnnouncement } = await loadAnnouncements();
  const a = await readAnnouncement(await ctx.services(), opts.id);
  if (ctx.json) return printJson(ctx, a);
  renderDetails(
    ctx,
    [
      [m('标题', 'title'), a.title],
      [m('发布人', 'by'), a.author],
      [m('发布时间', 'published'), ctx.localTime(a.createdAt)],
      [m('有效至', 'until'), a.until],
    ],
    a,
  );
  ctx.out();
  ctx.out(a.content);
}

export function registerAnnouncements(program: Command, ctx: CliContext): Command {
  const ann = group(
    program,
    ctx,
    'announcements',
    m('公告：发布、未读标记、阅读', 'announcements: publish, unread marks, read'),
    [
      'crm announcements add --title "年终结算安排" --content "12 月 31 日系统升级" --until 2026-12-31 --pin',
      'crm announcements list',
      'crm announcements read 1',
    ],
  );
  verb(ann, ctx, 'add', m('发布公告（管理员、经理）', 'publish an announcement (admins, managers)'))
    .requiredOption('--title <text>', ctx.t(m('标题', 'title')))
    .requiredOption('--content <text>', ctx.t(m('内容', 'content')))
    .option('--until <date>', ctx.t(m('显示至该日（含）', 'shown until this date (inclusive)')))
    .option('--pin', ctx.t(m('置顶', 'pin to the top')))
    .action(act(ctx, parseAddAnnouncementOptions, runAddAnnouncement));
  verb(ann, ctx, 'list', m('列出公告（● 为未读）', 'list announcements (● unread)'))
    .option('--all', ctx.t(m('包括已过期的', 'include expired ones')))
    .option('--unread', ctx.t(m('只看未读', 'unread only')))
    .action(act(ctx, parseListAnnouncementsOptions, runListAnnouncements));
  verb(ann, ctx, 'read <id>', m('阅读公告（标记已读）', 'read an announcement (marks it read)')).action(
    act(ctx, (args: string[]) => ({ id: idArg(args[0]) }), runReadAnnouncement),
  );
  return ann;
}
