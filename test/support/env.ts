/**
 * What the test run may use from this machine, read once from the environment: the MariaDB server for the
 * MySQL halves of the integration suites, and a Chromium for the HTML browser tests. Each is optional: without
 * it those tests are skipped (globalSetup prints one line saying how to run them), unless the matching
 * CRM_TEST_REQUIRE_* variable is 1, where they fail instead (CI sets both).
 */
import fs from 'node:fs';

/** Base URL of a MariaDB/MySQL server; each suite makes and drops its own database there. */
export const mysqlBaseUrl = process.env.CRM_TEST_MYSQL_URL || undefined;
export const requireMysql = process.env.CRM_TEST_REQUIRE_MYSQL === '1';

/**
 * The nodes of a Galera cluster (comma-separated MySQL URLs, e.g. scripts/galera.sh's ports 4306–4308): the
 * cluster suites run their concurrent sides on different nodes. CRM_TEST_REQUIRE_GALERA=1 makes them required.
 */
export const galeraUrls: string[] = (process.env.CRM_TEST_GALERA_URLS ?? '')
  .split(',')
  .map((u) => u.trim())
  .filter(Boolean);
export const requireGalera = process.env.CRM_TEST_REQUIRE_GALERA === '1';

/** Chromium for the HTML report tests: CRM_TEST_CHROMIUM if set, else the Debian/Ubuntu install paths. */
const chromiumCandidates = process.env.CRM_TEST_CHROMIUM
  ? [process.env.CRM_TEST_CHROMIUM]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const chromiumPath: string | undefined = chromiumCandidates.find((p) => fs.existsSync(p));
export const requireBrowser = process.env.CRM_TEST_REQUIRE_BROWSER === '1';

/** One line per missing optional dependency, for globalSetup to print once per run. */
export function skipNotices(): string[] {
  const notices: string[] = [];
  if (!mysqlBaseUrl && !requireMysql) {
    notices.push(
      'MySQL suites skipped: set CRM_TEST_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/crm_test) to run them',
    );
  }
  if (galeraUrls.length < 2 && !requireGalera) {
    notices.push(
      'Galera cluster suites skipped: start one with "scripts/galera.sh start DIR" and set CRM_TEST_GALERA_URLS to the node URLs it prints',
    );
  }
  if (!chromiumPath && !requireBrowser) {
    notices.push(
      `HTML browser tests skipped (no ${chromiumCandidates.join(' or ')}): install Chromium ("apt-get install chromium") or set CRM_TEST_CHROMIUM to its path to run them`,
    );
  }
  return notices;
}

/**
 * Temp-name prefixes of this project (tests, the CLI's spill files, benchmarks). globalSetup points TMPDIR at
 * a directory of its own for the run, and also watches the system temp dir for new entries with these names.
 */
export const TEMP_PREFIXES = ['crm-', 'crm_'];
