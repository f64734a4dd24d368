# Settlement from the command line (English, fixed clock 2026-11-23 10:00): refusals, exit codes, the empty day.
# The data flows (feeds, files, lists with rows) are in test/integration/settlement-*.test.ts and the demo.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm users add bob --role sales
added user bob (sales)
$ crm users add olga --role operator
added user olga (operator)
$ crm customers add --code 610000 --name 陕西省财政厅 --json
{"id":1,"code":"610000","name":"陕西省财政厅","kind":"company","parentCode":null,"firstLevelCode":"610000","industry":null,"region":null,"address":null,"phone":null,"email":null,"source":null,"owner":null,"grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":null,"note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"}
$ crm settlement vouchers add --kind payment --from 0001 --to 0003
registered payment vouchers 0001-0003: 3
$ crm settlement vouchers add --kind refund --from 0001 --to 0001
registered refund vouchers 0001-0001: 1
$ crm settlement vouchers add --kind payment --from 0003 --to 0009
[stderr]
error E7121: overlaps the registered range 0001-0003
  see crm settlement vouchers list
[exit 5]
$ crm settlement vouchers add --kind payment --from 9 --to 10
[stderr]
error E7120: from and to must have the same number of digits (leading zeros count): 9 - 10
[exit 2]
$ crm settlement open --date 2026-11-21
[stderr]
error E7110: 2026-11-21 is not a working day (weekend); it cannot be opened
  for a declared maintenance day: crm settlement open --date 2026-11-21 --force --reason "why" (or first crm calendar add 2026-11-21 --workday --reason …)
[exit 5]
$ crm settlement open --date 2026-11-20
2026-11-20 opened
$ crm settlement open --date 2026-11-20 --json
{"date":"2026-11-20","status":"unchanged","state":"open","forced":false}
$ crm --user bob settlement open --date 2026-11-24
[stderr]
error E4001: permission denied: user bob (sales) may not open a business day
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm settlement import {ROOT}/fixtures/feed-demo.csv --dry-run --json
{"file":"feed-demo.csv","read":12,"inserted":2,"updated":0,"unchanged":0,"rejected":10,"warnings":0,"errors":[{"line":3,"column":"customer","reason":"unknown customer \"610100\""},{"line":4,"column":"customer","reason":"unknown customer \"610200\""},{"line":5,"column":"customer","reason":"unknown customer \"620000\""},{"line":6,"column":"customer","reason":"unknown customer \"620100\""},{"line":7,"column":"customer","reason":"unknown customer \"610100\""},{"line":9,"column":"customer","reason":"unknown customer \"620000\""},{"line":10,"column":"customer","reason":"unknown customer \"610200\""},{"line":11,"column":"customer","reason":"unknown customer \"620100\""},{"line":12,"column":"customer","reason":"unknown customer \"999999\""},{"line":13,"column":"amount","reason":"invalid amount for amount \"10.001\": at most two decimals"}],"batchId":null,"encoding":"utf8","sha256":"0984b2a25137e043feb726fd42db5306bf30e649994448e904c7f8797a34b52e","dryRun":true,"warningDetails":[]}
[exit 6]
$ crm settlement summary show --date 2026-11-20 --status pending
[stderr]
error E2033: the summary list has not been generated or has no such data
  run crm settlement summary generate --date 2026-11-20 --status pending first
[exit 3]
$ crm settlement summary show --date 2026-11-20 --status pending --json
{"error":{"code":"E2033","message":"the summary list has not been generated or has no such data"}}
[exit 3]
$ crm settlement summary generate --date 2026-11-20 --status pending --json
{"date":"2026-11-20","status":"pending","rows":[],"count":0,"total":"0.00"}
$ crm settlement summary show --date 2026-11-20 --status pending
the pending summary list of 2026-11-20 is empty (generated 2026-11-23 10:00:00)
$ crm settlement classify --date 2026-11-20 --status pending --json
{"error":{"code":"E9999","message":"no records match"}}
[exit 3]
$ crm settlement clear --date 2026-11-23 --out-dir {TMP}/out
[stderr]
error E7113: 2026-11-23 is not cut off (state: not opened); it cannot be cleared
  run crm settlement cutoff --date 2026-11-23 first
[exit 5]
$ crm settlement cutoff --date 2026-11-23
[stderr]
error E7112: 2026-11-23 has not been opened; it cannot be cut off
  run crm settlement open --date 2026-11-23 first; to catch up use crm settlement cutoff --date 2026-11-23 --force
[exit 5]
$ crm --user olga settlement open --date 2026-11-23
2026-11-23 opened
$ crm settlement cutoff --date 2026-11-23 --json
{"error":{"code":"E7151","message":"it is 10:00, before the cutoff time 15:30 (settlement.cutoffAt): cutting off early sends every payment that arrives between now and 15:30 to the next working day (2026-11-24), marked late"}}
[exit 2]
$ crm settlement cutoff --date 2026-11-23 --early
[stderr]
error E7151: it is 10:00, before the cutoff time 15:30 (settlement.cutoffAt): cutting off early sends every payment that arrives between now and 15:30 to the next working day (2026-11-24), marked late
  to do it anyway: add --early --reason "why" (audited); otherwise wait until 15:30 (the job runs it then)
[exit 2]
$ crm --lang zh settlement cutoff --date 2026-11-23
[stderr]
错误 E7151: 现在是 10:00，早于截止时间 15:30（settlement.cutoffAt）：提前截止后，从现在到 15:30 之间到账的款项都将记入下一个工作日（2026-11-24）并标记为迟到
  确需提前：加 --early --reason "原因"（记入审计）；否则在 15:30 之后再做（作业会在 15:30 自动执行）
[exit 2]
$ crm settlement cutoff --date 2026-11-23 --early --reason "centre closes early today" --json
{"date":"2026-11-23","status":"done","state":"cut_off","pendingCount":0,"pendingTotal":"0.00"}
$ crm settlement cutoff --date 2026-11-30
[stderr]
error E7150: 2026-11-30 is after today (2026-11-23): a future business day cannot be cut off
  check --date (leave it out for today)
[exit 2]
$ crm settlement open --date 2026-11-24
[stderr]
error E7150: 2026-11-24 is after today (2026-11-23): a future business day cannot be opened
  check --date (leave it out for today)
[exit 2]
$ crm --lang zh settlement clear --date 2026-11-24
[stderr]
错误 E7150: 2026-11-24 晚于今天（2026-11-23）：不能对未来的营业日生成清算文件
  检查 --date（省略则为今天）
[exit 2]
$ crm settlement day --date 2026-11-30
[stderr]
error E7150: 2026-11-30 is after today (2026-11-23): a future business day cannot be run
  check --date (leave it out for today)
[exit 2]
$ crm settlement clear --date 2026-11-23 --out-dir {TMP}/out
[stderr]
error E7118: the pending date 2026-11-20 is not cut off (open); cut it off first
  crm settlement cutoff --date 2026-11-20
[exit 5]
$ crm settlement cutoff --date 2026-11-20
2026-11-20 cut off: 0 pending, 0.00 yuan
$ crm settlement cutoff --date 2026-11-20
2026-11-20 was already cut off: 0 pending, 0.00 yuan
$ crm settlement clear --date 2026-11-23 --out-dir {TMP}/out --json
{"date":"2026-11-23","pendingDate":"2026-11-20","files":[],"cleared":0,"skipped":[{"kind":"qs","reason":"no pending payments"},{"kind":"tk","reason":"no pending refunds"}],"rerunOf":null}
$ crm settlement clear --date 2026-11-23 --out-dir {TMP}/out
[stderr]
error E7114: 2026-11-23 has already been cleared (pending date 2026-11-20); files: -
  to redo it: crm settlement clear --date 2026-11-23 --rerun --reason "why"
[exit 5]
$ crm settlement clear --date 2026-11-23 --rerun
[stderr]
error E7116: --rerun needs a reason (--reason)
[exit 2]
$ crm settlement status --date 2026-11-23
2026-11-23  cleared
pending for this day: 0 payments 0.00 yuan, 0 refunds 0.00 yuan (0 late)
cleared on this day: 0 payments 0.00 yuan, 0 refunds 0.00 yuan (pending date 2026-11-20)
vouchers left: 3 payment, 1 refund
next step: crm settlement summary generate --date 2026-11-23 --status cleared
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm settlement status --date 2026-11-24 --json
{"date":"2026-11-24","state":"not_opened","forced":false,"openedAt":null,"cutOffAt":null,"clearedAt":null,"pending":{"count":0,"total":"0.00","late":0,"payments":{"count":0,"total":"0.00"},"refunds":{"count":0,"total":"0.00"}},"cleared":{"count":0,"total":"0.00","pendingDate":null,"payments":{"count":0,"total":"0.00"},"refunds":{"count":0,"total":"0.00"}},"files":[],"vouchersLeft":{"payment":3,"refund":1},"nextStep":"crm settlement status --date 2026-11-23","nextNote":"2026-11-24 is after today (2026-11-23): nothing can be done yet","calendarWarning":"warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run \"crm calendar import FILE\" for 2027"}
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm settlement verify {TMP}/out/missing.txt
[stderr]
error E7141: cannot read {TMP}/out/missing.txt: no such file or directory
[exit 7]
$ crm settlement open --date 2007-09-22 --force --reason "总中心周末开机维护"
2007-09-22 opened (forced)
$ crm calendar check 2007-09-24 --json
{"date":"2007-09-24","workingDay":true,"reason":"working day","previousWorkingDay":"2007-09-22","nextWorkingDay":"2007-09-25"}
$ crm settlement vouchers void 0002 --kind payment --reason "printer jam"
voided payment voucher 0002
$ crm settlement vouchers void 0002 --kind payment
[stderr]
error E0002: required option '--reason <text>' not specified
  see --help for usage
[exit 2]
$ crm settlement vouchers void 0077 --reason x
[stderr]
error E7122: voucher number not registered: 0077
  give the number as registered (leading zeros count)
[exit 2]
$ crm settlement vouchers list --kind payment
kind	number	status	file	usedAt	voidReason
payment	0001	unused			
payment	0002	void			printer jam
payment	0003	unused			
$ crm settlement status --date 2026-11-22
2026-11-22  not opened
pending for this day: 0 payments 0.00 yuan, 0 refunds 0.00 yuan (0 late)
cleared on this day: 0 payments 0.00 yuan, 0 refunds 0.00 yuan (pending date -)
vouchers left: 2 payment, 1 refund
next step: crm settlement status --date 2026-11-23 (2026-11-22 is not a working day (weekend); the next working day is 2026-11-23)
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm --lang zh settlement status --date 2026-11-22
2026-11-22  未启动
本日待清算：划款 0 笔 0.00 元，退款 0 笔 0.00 元（其中迟到 0 笔）
本日已清算：划款 0 笔 0.00 元，退款 0 笔 0.00 元（待清算日期 -）
剩余凭证：划款 2 张，退款 1 张
下一步: crm settlement status --date 2026-11-23 (2026-11-22 不是工作日（周末）；下一个工作日是 2026-11-23)
[stderr]
警告：工作日历只覆盖到 2026-12-31（还剩 38 天）；之后的清算作业会失败。请管理员按国务院放假通知填写 fixtures/calendar-template.json 并运行 "crm calendar import FILE" 导入 2027 年
