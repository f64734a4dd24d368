# The cutoff lives in one setting: the cutoff job runs at settlement.cutoffAt, its lists a few minutes after.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: admin
$ crm config set settlement.cutoffAt 16:00
set settlement.cutoffAt = 16:00 (database, shared by everyone)
$ crm jobs list --json
[{"name":"pool-return","enabled":true,"schedule":"01:00","nextRun":"2026-11-24T01:00:00+08:00","lastRun":null},{"name":"receivables-overdue","enabled":true,"schedule":"01:10","nextRun":"2026-11-24T01:10:00+08:00","lastRun":null},{"name":"care-plans","enabled":true,"schedule":"01:20","nextRun":"2026-11-24T01:20:00+08:00","lastRun":null},{"name":"approvals-reminders","enabled":true,"schedule":"08:00","nextRun":"2026-11-24T08:00:00+08:00","lastRun":null},{"name":"daily-digest","enabled":true,"schedule":"08:00","nextRun":"2026-11-24T08:00:00+08:00","lastRun":null},{"name":"start-of-service","enabled":true,"schedule":"08:30","nextRun":"2026-11-24T08:30:00+08:00","lastRun":null},{"name":"pending-summary","enabled":true,"schedule":"08:35","nextRun":"2026-11-24T08:35:00+08:00","lastRun":null},{"name":"cutoff","enabled":true,"schedule":"16:00","nextRun":"2026-11-23T16:00:00+08:00","lastRun":null},{"name":"clearing-files","enabled":true,"schedule":"16:05","nextRun":"2026-11-23T16:05:00+08:00","lastRun":null},{"name":"service-escalation","enabled":true,"schedule":"hourly 09:00-18:00","nextRun":"2026-11-23T11:00:00+08:00","lastRun":null}]
[stderr]
warning: the working-day calendar ends on 2026-12-31 (38 days left); settlement jobs fail after it. An admin must fill in fixtures/calendar-template.json from the State Council's notice and run "crm calendar import FILE" for 2027
$ crm config show
key	value	where	source	description
databaseUrl	sqlite:{TMP}/crm.sqlite	connection	env	database URL (this machine)
lang	en	connection	env	language (this machine)
timezone	Asia/Shanghai	database	default	business time zone: decides business dates and job times
pool.returnAfterDaysWithoutFollowup	30	database	default	days without a new follow-up before return to the pool (0 disables)
pool.returnAfterDaysWithoutDeal	90	database	default	days without a deal before return to the pool (0 disables)
pool.exemptLocked	true	database	default	locked customers are never returned
pool.exemptDealt	true	database	default	customers that already bought are never returned
pool.warnDaysBefore	3	database	default	days before return to warn the owner
pool.dailyClaimLimit	10	database	default	claims per user per day (0: no limit)
pool.maxOwnedPerUser	500	database	default	most customers one user may own (0: no limit)
pool.reclaimCooldownDays	30	database	default	days before a former owner may reclaim
customers.gradeThresholds	{"A":50,"B":80,"C":95,"D":99}	database	default	grade thresholds on cumulative share of sales (%); the rest are E
orders.approvalDiscountPercent	10	database	default	a line discount above this percent needs approval
orders.approvalAmount	100000.00	database	default	an order total above this amount (yuan) needs approval; stored in fen
orders.numberPattern	SO{YYYYMMDD}-{SEQ4}	database	default	order number pattern: {YYYYMMDD} date, {SEQn} n-digit sequence
opportunities.stages	[{"name":"Prospecting","probability":10},{"name":"Qualification","probability":20},{"name":"Proposal","probability":50},{"name":"Negotiation","probability":80},{"name":"Won","probability":100},{"name":"Lost","probability":0}]	database	default	opportunity stages and their probabilities
settlement.bankCode	0000	database	default	bank/branch code (4 characters, part of clearing file names)
settlement.openAt	08:30	database	default	start of service time
settlement.cutoffAt	16:00	database	database	cutoff time
settlement.fileEncoding	gbk	database	default	clearing file encoding
settlement.maxRowsPerFile	499	database	default	most detail rows in one clearing file
settlement.outDir		database	default	clearing file directory (empty: clearing/ under the data directory)
settlement.copyTo		database	default	directories the clearing files are also copied to (comma-separated: the archive, the transfer medium); each copy verified by SHA-256
settlement.accountClasses	财政授权支付,财政直接支付,其他	database	default	account classes
settlement.defaultAccountClass	财政授权支付	database	default	the account class of a transaction that names none (an empty feed cell, a receipt without one)
settlement.pageLines	50	database	default	lines per printed page
service.numberPattern	CS{YYYYMMDD}-{SEQ4}	database	default	ticket number pattern: {YYYYMMDD} the business date, {SEQ4} the day’s sequence (4 digits)
service.workingHours	08:30-17:30	database	default	working hours service levels count (HH:mm-HH:mm, business time zone, working days)
service.sla	{"urgent":{"respond":1,"resolve":4},"high":{"respond":4,"resolve":16},"normal":{"respond":8,"resolve":40},"low":{"respond":16,"resolve":80}}	database	default	working hours to respond and to resolve, per priority
service.revisitAfterDays	3	database	default	working days after resolution a return visit is due
service.reopenAtOrBelow	2	database	default	a return-visit score at or below this reopens the ticket (0: never)
jobs.catchUpDays	7	database	default	most working days a catch-up goes back
jobs.user		database	default	user the scheduler runs jobs as (empty: the first admin)
jobs.leaseSeconds	120	database	default	job lease in seconds: a run whose process stops renewing it for this long counts as dead and may be taken over (CRM_JOBS_LEASE_MS wins)
jobs.pool-return.schedule	01:00	database	default	time the pool-return job runs (HH:mm, business time zone)
jobs.pool-return.enabled	true	database	default	whether the scheduler runs the pool-return job
jobs.receivables-overdue.schedule	01:10	database	default	time the receivables-overdue job runs (HH:mm, business time zone)
jobs.receivables-overdue.enabled	true	database	default	whether the scheduler runs the receivables-overdue job
jobs.care-plans.schedule	01:20	database	default	time the care-plans job runs (HH:mm, business time zone)
jobs.care-plans.enabled	true	database	default	whether the scheduler runs the care-plans job
jobs.approvals-reminders.schedule	08:00	database	default	time the approvals-reminders job runs (HH:mm, business time zone)
jobs.approvals-reminders.enabled	true	database	default	whether the scheduler runs the approvals-reminders job
jobs.daily-digest.schedule	08:00	database	default	time the daily-digest job runs (HH:mm, business time zone)
jobs.daily-digest.enabled	true	database	default	whether the scheduler runs the daily-digest job
jobs.start-of-service.schedule	08:30	database	settlement.openAt	time the start-of-service job runs (HH:mm, business time zone; empty: follows settlement.openAt)
jobs.start-of-service.enabled	true	database	default	whether the scheduler runs the start-of-service job
jobs.pending-summary.schedule	08:35	database	settlement.openAt + 5 min	time the pending-summary job runs (HH:mm, business time zone; empty: follows settlement.openAt + 5 min)
jobs.pending-summary.enabled	true	database	default	whether the scheduler runs the pending-summary job
jobs.cutoff.schedule	16:00	database	settlement.cutoffAt	time the cutoff job runs (HH:mm, business time zone; empty: follows settlement.cutoffAt)
jobs.cutoff.enabled	true	database	default	whether the scheduler runs the cutoff job
jobs.clearing-files.schedule	16:05	database	settlement.cutoffAt + 5 min	time the clearing-files job runs (HH:mm, business time zone; empty: follows settlement.cutoffAt + 5 min)
jobs.clearing-files.enabled	true	database	default	whether the scheduler runs the clearing-files job
jobs.service-escalation.enabled	true	database	default	whether the scheduler runs the service-escalation job
reports.dir		database	default	directory for reports written by jobs (empty: reports/ under the data directory)
worklog.requireDaily	false	database	default	a daily work log is required on working days: a missing one shows in the to-do list
todo.soonDays	3	database	default	days ahead the to-do list counts as soon due (instalments, tasks)
mail.smtp		database	default	SMTP URL for the morning digest: smtp://user:pass@host:port or smtps://… (empty: no e-mail; the password is never shown or audited)
mail.from		database	default	sender address of the morning digest
approvals.remindAfterWorkingDays	2	database	default	remind the approver of a step waiting more than this many working days (once per step)
approvals.escalateAfterWorkingDays	5	database	default	escalate a step waiting more than this many working days to the next level up (once per step)
auth.mode	os	database	default	sign-in: os (the operating-system account is the identity) or password (crm login)
auth.osAdmins	root	database	database	os mode: operating-system accounts that may act as any user (crm init records the account that ran it)
auth.sessionHours	12	database	default	hours a sign-in session lasts
auth.idleMinutes	120	database	default	minutes of idleness after which a session ends
auth.maxFailures	5	database	default	wrong passwords in a row before the account locks
auth.lockMinutes	15	database	default	minutes an account stays locked
auth.minPasswordLength	10	database	default	shortest password allowed
$ crm config set jobs.clearing-files.schedule 16:30
set jobs.clearing-files.schedule = 16:30 (database, shared by everyone)
$ crm config get jobs.clearing-files.schedule --json
{"key":"jobs.clearing-files.schedule","value":"16:30","where":"database","source":"database"}
$ crm config get jobs.cutoff.schedule --json
{"key":"jobs.cutoff.schedule","value":"16:00","where":"database","source":"settlement.cutoffAt"}
