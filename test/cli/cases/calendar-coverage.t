# The calendar runs out: how far it reaches, the warning, and the template that must be confirmed first.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm calendar status
covered: 2004-01-01 … 2026-12-31 (2004–2026)
from today, covered through 2026-12-31 (38 days left)
local overrides: 0
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm calendar status --json
{"from":"2004-01-01","to":"2026-12-31","years":"2004–2026","coveredThrough":"2026-12-31","daysLeft":38,"imported":[],"overrides":[],"warning":"warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run \"crm calendar import FILE\" for 2027"}
$ crm --lang zh calendar status
覆盖范围: 2004-01-01 … 2026-12-31 (2004–2026)
从今天起连续覆盖到 2026-12-31（还剩 38 天）
本地调整: 0
[stderr]
警告：工作日历只覆盖到 2026-12-31（还剩 38 天）；之后的清算作业会失败。请管理员按国务院放假通知填写 fixtures/calendar-template.json 并运行 "crm calendar import FILE" 导入 2027 年
$ crm calendar import {ROOT}/fixtures/calendar-template.json
[stderr]
error E1105: calendar file calendar-template.json is not confirmed ("confirmed" is not true): check every date against the State Council's holiday notice before importing
  after checking, set "confirmed" to true and name the notice in "notice"; --dry-run shows what would change
[exit 2]
$ crm --lang zh calendar import {ROOT}/fixtures/calendar-template.json --dry-run
[stderr]
错误 E1104: 日历文件无效：calendar-template.json："holidays" 为空：请按放假通知填写法定节假日
  格式见 fixtures/calendar-template.json：{"year":2027,"confirmed":true,"notice":"…","holidays":{"2027-01-01":"元旦"},"workdays":{"2027-02-06":"春节调休"}}
[exit 2]
$ crm calendar import {ROOT}/test/cli/cases/calendar-2027-unconfirmed.json --dry-run
2027-01-01	not covered -> day off	元旦 (public holiday)
dry run (nothing written): 2027 has 1 holidays, 0 make-up working days; 1 days change
$ crm calendar import {ROOT}/test/cli/cases/calendar-2027-unconfirmed.json
[stderr]
error E1105: calendar file calendar-2027-unconfirmed.json is not confirmed ("confirmed" is not true): check every date against the State Council's holiday notice before importing
  after checking, set "confirmed" to true and name the notice in "notice"; --dry-run shows what would change
[exit 2]
