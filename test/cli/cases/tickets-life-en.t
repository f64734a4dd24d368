# A ticket's life in English: a high-priority complaint received the day before National Day, service levels in
# working hours (respond by 10-08 11:00, resolve by 10-09 14:00), the hourly escalation, resolution, a dissatisfied
# return visit that reopens it, resolved again, a satisfied visit, closed.
# env: CRM_NOW=2026-09-30T16:00:00+08:00
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: admin
$ crm users add carol --role manager
added user carol (manager)
$ crm users add bob --role sales --supervisor carol
added user bob (sales)
$ crm customers add --code 110101001 --name 东城区财政局第一处 --owner bob
added customer 110101001 东城区财政局第一处
$ crm tickets add --customer 110101001 --kind complaint --priority high --title "Payment late" --content "The payment of 29 September has not arrived" --channel phone
CS20260930-0001 received: complaint, high, handler bob; respond by 2026-10-08 11:00, resolve by 2026-10-09 14:00
$ crm tickets add --customer 110101001 --kind praise --priority high --title x --content y
[stderr]
error E4101: unknown ticket kind: praise
  one of complaint (投诉), fault (故障), request (业务受理), enquiry (咨询)
[exit 2]
$ crm tickets add --customer NOPE --kind complaint --title x --content y
[stderr]
error E4116: no such customer: NOPE
  find the code with "crm customers list --search TEXT"
[exit 3]
$ crm tickets resolve CS20260930-0001 --resolution "paid again"
[stderr]
error E4108: ticket CS20260930-0001 is open: it cannot be resolved (only from responded, reopened)
  respond first: "crm tickets respond N --content …"
[exit 5]
# env: CRM_NOW=2026-10-08T12:05:00+08:00
$ crm tickets list --breached
number	receivedAt	customer	kind	priority	status	handler	title	responseDue	responseMet	resolveDue	resolveMet	revisitDue	satisfaction
CS20260930-0001	2026-09-30 16:00:00	110101001	complaint	high	open	bob	Payment late	2026-10-08 11:00:00	breached	2026-10-09 14:00:00			
$ crm jobs run service-escalation
service-escalation 2026-10-08 12:00: completed (run 1, attempt 1)
  escalate: done
$ crm jobs run service-escalation --hour 12
[stderr]
error E8101: job service-escalation 2026-10-08 12:00 already completed at 2026-10-08T12:05:00+08:00; it is not run twice
  to run it again an admin adds --rerun --reason "why" (audited)
[exit 5]
$ crm --user bob tickets respond CS20260930-0001 --content "Called the customer; checking with the bank"
CS20260930-0001 responded (late) (status: responded)
$ crm --user bob tickets note CS20260930-0001 --content "Bank statement requested"
CS20260930-0001 noted (status: responded)
$ crm --user bob tickets resolve CS20260930-0001
[stderr]
error E4109: resolving a ticket needs the resolution
  give --resolution "what was done" [--measures "improvement measures"]
[exit 2]
# env: CRM_NOW=2026-10-09T10:00:00+08:00
$ crm --user bob tickets resolve CS20260930-0001 --resolution "Paid again on 10-09" --measures "Check the day's list before cutoff"
CS20260930-0001 resolved; return visit due 2026-10-13 (status: resolved)
$ crm tickets list --revisit-due
number	receivedAt	customer	kind	priority	status	handler	title	responseDue	responseMet	resolveDue	resolveMet	revisitDue	satisfaction
# env: CRM_NOW=2026-10-14T10:00:00+08:00
$ crm tickets list --revisit-due
number	receivedAt	customer	kind	priority	status	handler	title	responseDue	responseMet	resolveDue	resolveMet	revisitDue	satisfaction
CS20260930-0001	2026-09-30 16:00:00	110101001	complaint	high	resolved	bob	Payment late	2026-10-08 11:00:00	breached	2026-10-09 14:00:00	met	2026-10-13	
$ crm tickets revisit CS20260930-0001 --satisfaction 7
[stderr]
error E4110: a satisfaction score is a whole number from 1 to 5: 7
  1 very dissatisfied … 5 very satisfied
[exit 2]
$ crm tickets revisit CS20260930-0001 --satisfaction 2 --comment "Still not in our account"
CS20260930-0001 revisited, satisfaction 2: dissatisfied, the ticket is reopened (status: reopened)
$ crm --user bob tickets resolve CS20260930-0001 --resolution "Found at the receiving bank, credited"
CS20260930-0001 resolved; return visit due 2026-10-19 (status: resolved)
$ crm tickets revisit CS20260930-0001 --satisfaction 5 --comment "Thank you"
CS20260930-0001 revisited, satisfaction 5 (status: resolved)
$ crm tickets close CS20260930-0001
CS20260930-0001 closed (status: closed)
$ crm tickets close CS20260930-0001
[stderr]
error E4108: ticket CS20260930-0001 is closed: it cannot be closed (only from resolved)
  a closed ticket can only be reopened: "crm tickets reopen N --reason …"
[exit 5]
$ crm tickets show CS20260930-0001
number        CS20260930-0001
customer      110101001 东城区财政局第一处
contact       -
order         -
kind          complaint
priority      high
channel       phone
title         Payment late
status        closed
handler       bob
received      2026-09-30 16:00
respond by    2026-10-08 11:00 (breached)
resolve by    2026-10-15 17:00 (met)
resolution    Found at the receiving bank, credited
measures      -
revisit due   2026-10-19
satisfaction  5
history:
  2026-09-30 16:00  admin  received  The payment of 29 September has not arrived
  2026-10-08 12:05  admin  escalated  response overdue, escalated to carol
  2026-10-08 12:05  bob  responded  Called the customer; checking with the bank
  2026-10-08 12:05  bob  noted  Bank statement requested
  2026-10-09 10:00  bob  resolved  Paid again on 10-09
  2026-10-14 10:00  admin  revisited  satisfaction 2: Still not in our account
  2026-10-14 10:00  admin  reopened  return-visit satisfaction 2 ≤ 2: Still not in our account
  2026-10-14 10:00  bob  resolved  Found at the receiving bank, credited
  2026-10-14 10:00  admin  revisited  satisfaction 5: Thank you
  2026-10-14 10:00  admin  closed
$ crm tickets show CS20260930-0001 --json
{"number":"CS20260930-0001","customer":"110101001","customerName":"东城区财政局第一处","contact":null,"order":null,"kind":"complaint","priority":"high","channel":"phone","title":"Payment late","content":"The payment of 29 September has not arrived","status":"closed","handler":"bob","receivedAt":"2026-09-30T08:00:00.000Z","responseDue":"2026-10-08T03:00:00.000Z","resolveDue":"2026-10-15T09:00:00.000Z","respondedAt":"2026-10-08T04:05:00.000Z","resolvedAt":"2026-10-14T02:00:00.000Z","closedAt":"2026-10-14T02:00:00.000Z","responseMet":false,"resolveMet":true,"breached":true,"resolution":"Found at the receiving bank, credited","measures":null,"revisitDue":"2026-10-19","revisitedAt":"2026-10-14T02:00:00.000Z","satisfaction":5,"escalations":[{"at":"2026-10-08T04:05:00.000Z","to":"carol","kind":"response","dueAt":"2026-10-08T03:00:00.000Z"}],"history":[{"at":"2026-09-30T08:00:00.000Z","user":"admin","step":"received","content":"The payment of 29 September has not arrived","detail":{"kind":"complaint","priority":"high","channel":"phone","title":"Payment late"}},{"at":"2026-10-08T04:05:00.000Z","user":"admin","step":"escalated","content":"carol","detail":{"kind":"response","dueAt":"2026-10-08T03:00:00.000Z","to":"carol"}},{"at":"2026-10-08T04:05:00.000Z","user":"bob","step":"responded","content":"Called the customer; checking with the bank","detail":null},{"at":"2026-10-08T04:05:00.000Z","user":"bob","step":"noted","content":"Bank statement requested","detail":null},{"at":"2026-10-09T02:00:00.000Z","user":"bob","step":"resolved","content":"Paid again on 10-09","detail":{"measures":"Check the day's list before cutoff","revisitDue":"2026-10-13"}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"revisited","content":"Still not in our account","detail":{"satisfaction":2,"reopened":true}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"reopened","content":"Still not in our account","detail":{"satisfaction":2,"reopenAtOrBelow":2,"byRevisit":true}},{"at":"2026-10-14T02:00:00.000Z","user":"bob","step":"resolved","content":"Found at the receiving bank, credited","detail":{"measures":null,"revisitDue":"2026-10-19"}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"revisited","content":"Thank you","detail":{"satisfaction":5,"reopened":false}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"closed","content":null,"detail":null}]}
$ crm customers show 110101001
code            110101001
name            东城区财政局第一处
parent          -
first level     110101001
owner           bob
grade           -
status          active
industry        -
region          -
address         -
phone           -
email           -
source          -
last follow-up  -
created         2026-09-30 16:00:00
updated         2026-09-30 16:00:00
note            -
  orders: 0
  service: tickets 1 (0 open), complaints 1 (0 open), return-visit satisfaction 3.50, last survey -
