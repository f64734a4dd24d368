import { type L10n, m } from '../domain/i18n.js';

/** The operating system's reasons a file could not be used, as a person reads them. */
const BY_CODE: Record<string, L10n> = {
  ENOENT: m('没有这个文件或目录', 'no such file or directory'),
  EACCES: m('没有权限', 'permission denied'),
  EPERM: m('不允许此操作', 'operation not permitted'),
  EISDIR: m('这是一个目录', 'it is a directory'),
  ENOTDIR: m('路径中有一段不是目录', 'a part of the path is not a directory'),
  EROFS: m('文件系统只读', 'read-only file system'),
  ENOSPC: m('磁盘已满', 'no space left on the device'),
  EMFILE: m('打开的文件太多', 'too many open files'),
  EEXIST: m('文件已存在', 'the file already exists'),
};

/** Why a file operation failed, in both languages; an error without a known code keeps its own message. */
export function fileProblem(err: unknown): L10n {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && BY_CODE[code]) return BY_CODE[code];
  const text = err instanceof Error ? err.message : String(err);
  return { zh: text, en: text };
}
