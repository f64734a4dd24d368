# The first minutes on a new machine: init, the calendar, users, settings, errors.
$ crm --version
0.1.0
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm init --yes
already initialised: sqlite:{TMP}/crm.sqlite (nothing changed)
$ crm calendar check 2026-10-08 --json
{"date":"2026-10-08","workingDay":true,"reason":"working day","previousWorkingDay":"2026-09-30","nextWorkingDay":"2026-10-09"}
$ crm calendar check 2026-10-01 --json
{"date":"2026-10-01","workingDay":false,"reason":"National Day (public holiday)","previousWorkingDay":"2026-09-30","nextWorkingDay":"2026-10-08"}
$ crm calendar check 2026-09-20 --json
{"date":"2026-09-20","workingDay":true,"reason":"make-up working day for National Day","previousWorkingDay":"2026-09-18","nextWorkingDay":"2026-09-21"}
$ crm calendar check 2027-03-01
[stderr]
error E1101: the working-day calendar does not cover 2027: an administrator must import that year's holidays with "crm calendar import FILE", or register days one by one with "crm calendar add"
  covered years: 2004–2026
[exit 1]
$ crm calendar check 2027-03-01 --json
{"error":{"code":"E1101","message":"the working-day calendar does not cover 2027: an administrator must import that year's holidays with \"crm calendar import FILE\", or register days one by one with \"crm calendar add\""}}
[exit 1]
$ crm calendar add 2007-09-22 --workday --reason "weekend maintenance"
recorded: 2007-09-22 workday (weekend maintenance)
$ crm calendar check 2007-09-24 --json
{"date":"2007-09-24","workingDay":true,"reason":"working day","previousWorkingDay":"2007-09-22","nextWorkingDay":"2007-09-25"}
$ crm calendar check today --json
{"date":"2026-11-23","workingDay":true,"reason":"working day","previousWorkingDay":"2026-11-20","nextWorkingDay":"2026-11-24"}
# env: TZ=America/New_York
$ crm calendar check today --json
{"date":"2026-11-23","workingDay":true,"reason":"working day","previousWorkingDay":"2026-11-20","nextWorkingDay":"2026-11-24"}
$ crm users add bob --role sales --display-name "Bob Li"
added user bob (sales)
$ crm users add bob --role sales
[stderr]
error E5001: user already exists: bob
[exit 5]
$ crm users add eve --role wizard
[stderr]
error E1402: unknown role: wizard (one of admin, executive, manager, sales, operator, auditor)
[exit 2]
$ crm users list
name	displayName	role	supervisor	status
admin	admin	admin		active
bob	Bob Li	sales		active
$ crm --user bob users add mallory --role admin
[stderr]
error E4001: permission denied: user bob (sales) may not manage users
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm --user nobody users list
[stderr]
error E4002: unknown user: nobody
  pass a registered user with --user or CRM_USER; an admin adds users with "crm users add"
[exit 4]
$ crm config get settlement.cutoffAt
15:30
$ crm config set settlement.bankCode 12345
[stderr]
error E1211: invalid value "12345" for settlement.bankCode: expected exactly 4 letters or digits
[exit 2]
$ crm config set settlement.bankCode 1234
set settlement.bankCode = 1234 (database, shared by everyone)
$ crm config get settlement.bankCode --json
{"key":"settlement.bankCode","value":"1234","where":"database","source":"database"}
$ crm config get no.such.key
[stderr]
error E1210: unknown setting: no.such.key
  run "crm config show" to list every setting
[exit 2]
$ crm db migrate
already up to date: sqlite:{TMP}/crm.sqlite
$ crm db status --json
{"database":"sqlite:{TMP}/crm.sqlite","source":"env","migrations":[{"name":"0001_foundation","applied":true},{"name":"0002_customers","applied":true},{"name":"0003_settlement","applied":true},{"name":"0004_orders","applied":true},{"name":"0005_reports","applied":true},{"name":"0006_report_indexes","applied":true},{"name":"0007_clearing_unit_names","applied":true},{"name":"0011_auth","applied":true}]}
$ crm bogus
[stderr]
error E0002: unknown command 'bogus'
(Did you mean logout?)
  see --help for usage
[exit 2]
