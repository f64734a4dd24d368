# Approvals: a two-step expense, refusals a script can rely on, reception budgets, delegation, flows.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: admin
$ crm users add vic --role executive
added user vic (executive)
$ crm users add carol --role manager --supervisor vic
added user carol (manager)
$ crm users add bob --role sales --supervisor carol
added user bob (sales)
$ crm users add erin --role manager
added user erin (manager)
$ crm customers add --code 110101 --name 北京市东城区财政局 --owner bob
added customer 110101 北京市东城区财政局
$ crm --user bob approvals submit --type expense --title 北京出差报销 --amount 6200 --cc erin
request 1: pending, step 1 of 2, waiting for carol
$ crm --user bob approvals show 1 --json
{"id":1,"type":"expense","title":"北京出差报销","status":"pending","requester":"bob","amount":"6200.00","from":null,"to":null,"customer":null,"order":null,"items":[],"attendees":null,"note":null,"cc":["erin"],"round":1,"step":1,"steps":[{"step":1,"approver":"manager","above":null,"status":"pending"},{"step":2,"approver":"executive","above":"5000.00","status":"waiting"}],"waitingFor":["carol"],"decisions":[],"submittedAt":"2026-11-23T02:00:00.000Z","waitingSince":"2026-11-23T02:00:00.000Z","decidedAt":null,"rejectReason":null,"actual":null,"actualNote":null,"settledAt":null}
$ crm --user bob approvals approve 1
[stderr]
error E4210: nobody approves their own request (1)
  the approver of the step decides it
[exit 4]
$ crm --user erin approvals approve 1
[stderr]
error E4211: erin may not decide step 1 of request 1 (decided by: manager)
  this step waits for: carol
[exit 4]
$ crm --user carol approvals list --to-me
id	type	title	requester	amount	status	step	waitingFor	submittedAt
1	expense	北京出差报销	bob	6200.00	pending	1/2	carol	2026-11-23 10:00:00
$ crm --user carol approvals approve 1 --comment 同意
request 1: pending, step 2 of 2, waiting for vic
$ crm --user vic approvals reject 1
[stderr]
error E4213: a rejection needs a reason (--reason)
  e.g. --reason "over budget"
[exit 2]
$ crm --user vic approvals reject 1 --reason 超出差旅标准
request 1: rejected
$ crm --user vic approvals approve 1
[stderr]
error E4212: request 1 is already decided (rejected)
  see "crm approvals show" for who decided it and when
[exit 5]
$ crm --user bob approvals show 1
id                1
type              expense
title             北京出差报销
requester         bob
status            rejected
amount            6,200.00
dates             -
customer          -
attendees         -
copied to         erin
note              -
submitted         2026-11-23 10:00:00
waiting for       -
rejected because  超出差旅标准
actual spending   -
steps (round 1):
  1. manager  approved
  2. an executive (amount above 5,000.00)  rejected
decisions:
  2026-11-23 10:00:00  round 1 step 1  carol  approved  同意
  2026-11-23 10:00:00  round 1 step 2  vic  rejected  超出差旅标准
$ crm --user bob approvals withdraw 1
[stderr]
error E4215: request 1 is rejected; only a pending request can be withdrawn
  to undo an approved request, submit a new one saying so
[exit 5]
$ crm --user bob approvals submit --type holiday --title x
[stderr]
error E4201: unknown request type: holiday
  one of order, expense, travel, leave, overtime, loan, general, reception, gift, visit
[exit 2]
$ crm --user bob approvals submit --type expense --title x --amount 12.345
[stderr]
error E4202: --amount: invalid amount "12.345" (yuan above 0, at most two decimals)
  e.g. --amount 1280.50
[exit 2]
$ crm --user bob approvals submit --type leave --title 年假 --from 2026-12-03 --to 2026-12-01
[stderr]
error E4203: the dates are backwards: --from 2026-12-03 is after --to 2026-12-01
  swap the two dates
[exit 2]
$ crm --user bob approvals submit --type reception --title 招待东城区财政局 --customer 110101 --item 午餐:1500 --item 酒水:600 --attendees 张三,李四
request 2: pending, step 1 of 2, waiting for carol
$ crm --user carol approvals approve 2
request 2: pending, step 2 of 2, waiting for vic
$ crm --user vic approvals approve 2
request 2: approved
$ crm --user bob approvals settle 2 --actual 1980.50
request 2: spent 1,980.50 of a budget of 2,100.00
$ crm --user bob approvals settle 2 --actual 1
[stderr]
error E4230: request 2 already reported its spending (2026-11-23 10:00:00)
[exit 5]
$ crm --user carol approvals delegate --to erin --from 2026-11-23 --to-date 2026-11-27
erin decides for carol from 2026-11-23 to 2026-11-27
$ crm --user bob approvals submit --type leave --title 病假 --from 2026-11-24 --to 2026-11-24
request 3: pending, step 1 of 1, waiting for carol
$ crm --user erin approvals approve 3
request 3: approved
$ crm --user erin approvals list --cc --format tsv
id	type	title	requester	amount	status	step	waitingFor	submittedAt
1	expense	北京出差报销	bob	6200.00	rejected			2026-11-23 10:00:00
$ crm approvals flows set general --step manager --step "executive>1000"
type	enabled	isDefault	steps
general	true	false	manager,executive>1000.00
$ crm approvals flows show general
type	enabled	isDefault	steps
general	true	false	manager,executive>1000.00
$ crm --user carol approvals flows set general --off
[stderr]
error E4001: permission denied: user carol (manager) may not change approval flows
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm approvals flows set general --step boss
[stderr]
error E4220: invalid step "boss": unknown approver
  write a step as manager, manager+1, executive, admin or user:NAME, optionally >AMOUNT in yuan, e.g. executive>5000
[exit 2]
$ crm reports approvals --from 2026-11-01 --to 2026-11-30
type	submitted	pending	approved	rejected	withdrawn	amount	meanDays
expense	1	0	0	1	0	6200.00	0.00
leave	1	0	1	0	0	0.00	0.00
reception	1	0	1	0	0	2100.00	0.00
$ crm reports approvals --from 2026-11-01 --to 2026-11-30 --by spending --json
{"report":"approvals","params":{"from":"2026-11-01","to":"2026-11-30","by":"spending"},"rows":[{"requester":"bob","customer":"110101","type":"reception","approved":1,"budget":"2100.00","settled":1,"settledBudget":"2100.00","actual":"1980.50","difference":"119.50"}],"totals":{"approved":1,"budget":"2100.00","settled":1,"settledBudget":"2100.00","actual":"1980.50","difference":"119.50"}}
