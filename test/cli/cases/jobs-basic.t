# Jobs: the list, a by-hand run, refusals, an audited admin rerun, history.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: admin
$ crm jobs list
name	enabled	schedule	nextRun	lastRun
pool-return	yes	01:00	2026-11-24T01:00:00+08:00	
receivables-overdue	yes	01:10	2026-11-24T01:10:00+08:00	
care-plans	yes	01:20	2026-11-24T01:20:00+08:00	
approvals-reminders	yes	08:00	2026-11-24T08:00:00+08:00	
daily-digest	yes	08:00	2026-11-24T08:00:00+08:00	
start-of-service	yes	08:30	2026-11-24T08:30:00+08:00	
pending-summary	yes	08:35	2026-11-24T08:35:00+08:00	
cutoff	yes	15:30	2026-11-23T15:30:00+08:00	
clearing-files	yes	15:35	2026-11-23T15:35:00+08:00	
service-escalation	yes	hourly 09:00-18:00	2026-11-23T11:00:00+08:00	
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm jobs list --json
[{"name":"pool-return","enabled":true,"schedule":"01:00","nextRun":"2026-11-24T01:00:00+08:00","lastRun":null},{"name":"receivables-overdue","enabled":true,"schedule":"01:10","nextRun":"2026-11-24T01:10:00+08:00","lastRun":null},{"name":"care-plans","enabled":true,"schedule":"01:20","nextRun":"2026-11-24T01:20:00+08:00","lastRun":null},{"name":"approvals-reminders","enabled":true,"schedule":"08:00","nextRun":"2026-11-24T08:00:00+08:00","lastRun":null},{"name":"daily-digest","enabled":true,"schedule":"08:00","nextRun":"2026-11-24T08:00:00+08:00","lastRun":null},{"name":"start-of-service","enabled":true,"schedule":"08:30","nextRun":"2026-11-24T08:30:00+08:00","lastRun":null},{"name":"pending-summary","enabled":true,"schedule":"08:35","nextRun":"2026-11-24T08:35:00+08:00","lastRun":null},{"name":"cutoff","enabled":true,"schedule":"15:30","nextRun":"2026-11-23T15:30:00+08:00","lastRun":null},{"name":"clearing-files","enabled":true,"schedule":"15:35","nextRun":"2026-11-23T15:35:00+08:00","lastRun":null},{"name":"service-escalation","enabled":true,"schedule":"hourly 09:00-18:00","nextRun":"2026-11-23T11:00:00+08:00","lastRun":null}]
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm jobs catch-up --dry-run
job	businessDate	dueAt	outcome	runId	error
pool-return	2026-11-23	2026-11-23T01:00:00+08:00	planned		
receivables-overdue	2026-11-23	2026-11-23T01:10:00+08:00	planned		
care-plans	2026-11-23	2026-11-23T01:20:00+08:00	planned		
approvals-reminders	2026-11-23	2026-11-23T08:00:00+08:00	planned		
daily-digest	2026-11-23	2026-11-23T08:00:00+08:00	planned		
start-of-service	2026-11-23	2026-11-23T08:30:00+08:00	planned		
pending-summary	2026-11-23	2026-11-23T08:35:00+08:00	planned		
service-escalation	2026-11-23	2026-11-23T10:00:00+08:00	planned		
$ crm jobs run start-of-service
start-of-service 2026-11-23: completed (run 1, attempt 1)
  open: done
$ crm jobs run start-of-service
[stderr]
error E8101: job start-of-service 2026-11-23 already completed at 2026-11-23T10:00:00+08:00; it is not run twice
  to run it again an admin adds --rerun --reason "why" (audited)
[exit 5]
$ crm users add olga --role operator
added user olga (operator)
$ crm --user olga jobs run start-of-service --rerun --reason "try again"
[stderr]
error E8107: only an admin may rerun a completed job (olga is operator)
[exit 4]
$ crm jobs run start-of-service --rerun
[stderr]
error E8106: a rerun needs a reason: --reason "why"
[exit 2]
$ crm jobs run start-of-service --rerun --reason "demo: reopen"
start-of-service 2026-11-23: completed (run 2, attempt 2)
  open: done
$ crm audit list --action jobs.rerun --json
~ \[\{"id":5,"at":"2026\-11\-23T02:00:00\.000Z","user":"admin","via":"os:[^"]+","action":"jobs\.rerun","entity":"job_run","entityId":"start\-of\-service/2026\-11\-23","before":\{"state":"completed","finishedAt":"2026\-11\-23T02:00:00\.000Z","attempts":1\},"after":\{"state":"running","attempts":2,"reason":"demo:\ reopen"\},"batchId":null\}\]
$ crm --user olga jobs run pending-summary --json
{"runId":3,"instanceId":2,"job":"pending-summary","businessDate":"2026-11-23","state":"completed","attempt":1,"trigger":"manual","steps":[{"name":"previous-working-day","status":"done"},{"name":"summary","status":"done"},{"name":"classification","status":"done"}],"result":{"previous-working-day":"2026-11-20","summary":{"date":"2026-11-20","count":0,"totalFen":0,"files":["{TMP}/.local/share/crm/reports/2026-11-23/summary-pending-2026-11-20.txt","{TMP}/.local/share/crm/reports/2026-11-23/summary-pending-2026-11-20.csv"],"rows":0},"classification":{"date":"2026-11-20","files":[],"noData":"E9999"}},"error":null,"takeover":false}
$ crm jobs run cutoff --date 2026-11-22
[stderr]
error E8104: 2026-11-22 is not a working day (weekend): job cutoff runs only on working days
  see "crm calendar check DATE"
[exit 2]
$ crm jobs run cutoff --date 2026-11-24
[stderr]
error E8105: 2026-11-24 has not come yet (today is 2026-11-23): cutoff cannot run ahead
[exit 2]
$ crm jobs run nosuch
[stderr]
error E8100: unknown job: nosuch (one of pool-return, receivables-overdue, care-plans, approvals-reminders, daily-digest, start-of-service, pending-summary, cutoff, clearing-files, service-escalation)
  see "crm jobs list"
[exit 2]
$ crm jobs history
id	job	businessDate	state	startedAt	finishedAt	trigger
3	pending-summary	2026-11-23	completed	2026-11-23T10:00:00+08:00	2026-11-23T10:00:00+08:00	manual
2	start-of-service	2026-11-23	completed	2026-11-23T10:00:00+08:00	2026-11-23T10:00:00+08:00	manual
1	start-of-service	2026-11-23	completed	2026-11-23T10:00:00+08:00	2026-11-23T10:00:00+08:00	manual
$ crm jobs history --job start-of-service --json
[{"id":2,"job":"start-of-service","businessDate":"2026-11-23","state":"completed","startedAt":"2026-11-23T10:00:00+08:00","finishedAt":"2026-11-23T10:00:00+08:00","trigger":"manual"},{"id":1,"job":"start-of-service","businessDate":"2026-11-23","state":"completed","startedAt":"2026-11-23T10:00:00+08:00","finishedAt":"2026-11-23T10:00:00+08:00","trigger":"manual"}]
$ crm jobs history --state bogus
[stderr]
error E8113: unknown state: bogus (one of running, completed, failed)
[exit 2]
$ crm jobs show 99
[stderr]
error E8110: no job run with id 99
  see "crm jobs history" for run ids
[exit 3]
$ crm config set jobs.cutoff.schedule 16:00
set jobs.cutoff.schedule = 16:00 (database, shared by everyone)
$ crm config set jobs.pool-return.enabled false
set jobs.pool-return.enabled = false (database, shared by everyone)
$ crm config set jobs.cutoff.schedule 25:00
[stderr]
error E1211: invalid value "25:00" for jobs.cutoff.schedule: expected a time HH:mm (24-hour)
[exit 2]
$ crm jobs list
name	enabled	schedule	nextRun	lastRun
pool-return	no	01:00		
receivables-overdue	yes	01:10	2026-11-24T01:10:00+08:00	
care-plans	yes	01:20	2026-11-24T01:20:00+08:00	
approvals-reminders	yes	08:00	2026-11-24T08:00:00+08:00	
daily-digest	yes	08:00	2026-11-24T08:00:00+08:00	
start-of-service	yes	08:30	2026-11-24T08:30:00+08:00	2026-11-23 completed (#2)
pending-summary	yes	08:35	2026-11-24T08:35:00+08:00	2026-11-23 completed (#3)
cutoff	yes	16:00	2026-11-23T16:00:00+08:00	
clearing-files	yes	15:35	2026-11-23T15:35:00+08:00	
service-escalation	yes	hourly 09:00-18:00	2026-11-23T11:00:00+08:00	
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
