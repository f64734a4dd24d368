import type { Lang } from '../../domain/i18n.js';

/** What a renderer may know about where it runs: the reader's language and the business "now". */
export interface RenderEnv {
  lang: Lang;
  /** IANA time zone in which `now` is printed ("generated at", "printed"). */
  timeZone: string;
  now: Date;
}
