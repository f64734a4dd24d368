# Customers: import with bad rows (dry run, so the JSON is stable), unreadable files, and the pool's claim limits.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm users add carol --role manager
added user carol (manager)
$ crm users add bob --role sales --supervisor carol
added user bob (sales)
$ crm users add dave --role sales --supervisor carol
added user dave (sales)
$ crm users add erin --role sales
added user erin (sales)
$ crm customers import {ROOT}/fixtures/customers-demo.csv --dry-run --json
{"file":"customers-demo.csv","read":12,"inserted":7,"updated":0,"unchanged":0,"rejected":5,"warnings":0,"errors":[{"line":9,"column":"phone","reason":"not a phone number: not-a-phone"},{"line":10,"column":"owner","reason":"unknown user: nobody"},{"line":11,"column":"code","reason":"duplicate code 110101: first at line 3"},{"line":12,"column":"parent_code","reason":"parent code 999999 is neither in the database nor in the file"},{"line":13,"column":"grade","reason":"grade must be A-E, not \"Z\""}],"batchId":null,"encoding":"utf8","sha256":"b3f57e090a0662cfc7cb33406e01a9222923af24651f1f857a9e008505d27bf7","dryRun":true,"warningDetails":[]}
[exit 6]
$ crm customers import {ROOT}/fixtures/customers-demo.csv --dry-run
dry run (nothing written): customers-demo.csv
read 12: inserted 7, updated 0, unchanged 0, rejected 5, warnings 0
[stderr]
line 9 phone: not a phone number: not-a-phone
line 10 owner: unknown user: nobody
line 11 code: duplicate code 110101: first at line 3
line 12 parent_code: parent code 999999 is neither in the database nor in the file
line 13 grade: grade must be A-E, not "Z"
[exit 6]
$ crm customers list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
$ crm customers import {TMP}/missing.csv --json
{"error":{"code":"E3102","message":"cannot read {TMP}/missing.csv: no such file or directory"}}
[exit 7]
$ crm --user bob customers import {ROOT}/fixtures/customers-demo.csv
[stderr]
error E4001: permission denied: user bob (sales) may not bulk-import customers
  ask an admin, or have a user with that permission run it
[exit 4]
# The pool: customers an admin adds without an owner.
$ crm customers add --code P1 --name 公海一
added customer P1 公海一
$ crm customers add --code P2 --name 公海二
added customer P2 公海二
$ crm customers add --code P3 --name 公海三
added customer P3 公海三
$ crm customers add --code P4 --name 公海四
added customer P4 公海四
$ crm pool list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
P1	公海一		P1			active			
P2	公海二		P2			active			
P3	公海三		P3			active			
P4	公海四		P4			active			
$ crm config set pool.dailyClaimLimit 2
set pool.dailyClaimLimit = 2 (database, shared by everyone)
$ crm config set pool.maxOwnedPerUser 3
set pool.maxOwnedPerUser = 3 (database, shared by everyone)
$ crm config set pool.reclaimCooldownDays 30
set pool.reclaimCooldownDays = 30 (database, shared by everyone)
$ crm pool rules --json
{"pool.returnAfterDaysWithoutFollowup":30,"pool.returnAfterDaysWithoutDeal":90,"pool.exemptLocked":true,"pool.exemptDealt":true,"pool.warnDaysBefore":3,"pool.dailyClaimLimit":2,"pool.maxOwnedPerUser":3,"pool.reclaimCooldownDays":30}
$ crm --user bob pool claim P1
bob claimed P1
$ crm --user bob pool claim P1
[stderr]
error E3130: customer P1 is not in the pool
[exit 5]
$ crm --user bob pool claim P2
bob claimed P2
$ crm --user bob pool claim P3
[stderr]
error E3131: daily claim limit reached (2 of 2)
[exit 5]
$ crm --user bob pool release P2 --reason 不再跟进
P2 is back in the pool
# env: CRM_NOW=2026-11-24T10:00:00+08:00
$ crm --user bob pool claim P2
[stderr]
error E3133: P2 cannot be reclaimed by its former owner before 2026-12-23
[exit 5]
$ crm --user bob pool claim P3
bob claimed P3
$ crm --user bob pool claim P4
bob claimed P4
$ crm --user erin pool assign P2 dave
[stderr]
error E4001: permission denied: user erin (sales) may not assign customers
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm --user carol pool assign P2 erin
[stderr]
error E3134: erin is not in your team
[exit 4]
$ crm --user carol pool assign P2 bob
[stderr]
error E3132: bob owns 3 customers already (cap 3)
[exit 5]
$ crm --user carol pool assign P2 dave
assigned P2 to dave
$ crm --user bob customers list --json
[{"id":1,"code":"P1","name":"公海一","kind":"company","parentCode":null,"firstLevelCode":"P1","industry":null,"region":null,"address":null,"phone":null,"email":null,"source":null,"owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"},{"id":3,"code":"P3","name":"公海三","kind":"company","parentCode":null,"firstLevelCode":"P3","industry":null,"region":null,"address":null,"phone":null,"email":null,"source":null,"owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-24T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-24T02:00:00.000Z"},{"id":4,"code":"P4","name":"公海四","kind":"company","parentCode":null,"firstLevelCode":"P4","industry":null,"region":null,"address":null,"phone":null,"email":null,"source":null,"owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-24T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-24T02:00:00.000Z"}]
$ crm pool list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
