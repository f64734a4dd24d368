import os from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

function home(env: Env): string {
  return env.HOME || os.homedir();
}

/** `$XDG_DATA_HOME/crm`, else `~/.local/share/crm`: the default database, clearing files and reports live here. */
export function dataDir(env: Env): string {
  return path.join(env.XDG_DATA_HOME || path.join(home(env), '.local', 'share'), 'crm');
}

/** `$XDG_CONFIG_HOME/crm/config.json`, else `~/.config/crm/config.json`. */
export function defaultConfigFile(env: Env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home(env), '.config'), 'crm', 'config.json');
}

export function defaultDatabaseUrl(env: Env): string {
  return `sqlite:${path.join(dataDir(env), 'crm.sqlite')}`;
}

/** `$XDG_CACHE_HOME/crm`, else `~/.cache/crm`: what can be thrown away (the compiled-code cache). */
export function cacheDir(env: Env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(home(env), '.cache'), 'crm');
}
