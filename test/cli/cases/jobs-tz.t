# The machine runs in UTC at 00:31 UTC, which is 08:31 in Asia/Shanghai: the 08:30 job is due, 08:35 is not.
# env: TZ=UTC
# env: CRM_NOW=2026-11-23T00:31:00Z
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm jobs catch-up --dry-run --json
[{"job":"pool-return","businessDate":"2026-11-23","dueAt":"2026-11-23T01:00:00+08:00","previous":"none","outcome":"planned","runId":null,"error":null},{"job":"receivables-overdue","businessDate":"2026-11-23","dueAt":"2026-11-23T01:10:00+08:00","previous":"none","outcome":"planned","runId":null,"error":null},{"job":"start-of-service","businessDate":"2026-11-23","dueAt":"2026-11-23T08:30:00+08:00","previous":"none","outcome":"planned","runId":null,"error":null}]
$ crm jobs list --json
[{"name":"pool-return","enabled":true,"schedule":"01:00","nextRun":"2026-11-24T01:00:00+08:00","lastRun":null},{"name":"receivables-overdue","enabled":true,"schedule":"01:10","nextRun":"2026-11-24T01:10:00+08:00","lastRun":null},{"name":"start-of-service","enabled":true,"schedule":"08:30","nextRun":"2026-11-24T08:30:00+08:00","lastRun":null},{"name":"pending-summary","enabled":true,"schedule":"08:35","nextRun":"2026-11-23T08:35:00+08:00","lastRun":null},{"name":"cutoff","enabled":true,"schedule":"15:30","nextRun":"2026-11-23T15:30:00+08:00","lastRun":null},{"name":"clearing-files","enabled":true,"schedule":"15:35","nextRun":"2026-11-23T15:35:00+08:00","lastRun":null}]
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
