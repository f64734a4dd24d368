# Reports on a fresh database: targets, the JSON contract, formats, scope and usage errors.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm users add carol --role manager
added user carol (manager)
$ crm users add bob --role sales --supervisor carol
added user bob (sales)
$ crm users add eve --role sales
added user eve (sales)
$ crm targets set bob --month 2026-11 --orders-amount 200000 --receipts 1,000.5
targets of bob for 2026-11: orders 200000.00, receipts 1000.50
$ crm --user carol targets set eve --month 2026-11 --orders-amount 1
[stderr]
error E9104: outside your data scope: you may not see the figures of eve
  a sales user sees their own figures, a manager their team’s
[exit 4]
$ crm --user bob targets set bob --month 2026-11 --orders-amount 1
[stderr]
error E4001: permission denied: user bob (sales) may not set targets
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm targets list --json
[{"user":"bob","month":"2026-11","ordersAmount":"200000.00","receipts":"1000.50"}]
$ crm reports performance --json
{"report":"performance","params":{"from":"2026-11-01","to":"2026-11-30","owner":null,"team":null},"rows":[{"owner":"bob","newCustomers":0,"followups":0,"orders":0,"ordersAmount":"0.00","receipts":"0.00","refunds":"0.00","netReceived":"0.00"},{"owner":"carol","newCustomers":0,"followups":0,"orders":0,"ordersAmount":"0.00","receipts":"0.00","refunds":"0.00","netReceived":"0.00"},{"owner":"eve","newCustomers":0,"followups":0,"orders":0,"ordersAmount":"0.00","receipts":"0.00","refunds":"0.00","netReceived":"0.00"}],"totals":{"newCustomers":0,"followups":0,"orders":0,"ordersAmount":"0.00","receipts":"0.00","refunds":"0.00","netReceived":"0.00"}}
$ crm --user carol reports performance --csv
owner,newCustomers,followups,orders,ordersAmount,receipts,refunds,netReceived
bob,0,0,0,0.00,0.00,0.00,0.00
carol,0,0,0,0.00,0.00,0.00,0.00
total,0,0,0,0.00,0.00,0.00,0.00
$ crm --user bob reports performance --owner eve
[stderr]
error E9104: outside your data scope: you may not see the figures of eve
  a sales user sees their own figures, a manager their team’s
[exit 4]
$ crm reports funnel --json
{"report":"funnel","params":{"from":"2026-11-01","to":"2026-11-30","owner":null,"team":null},"rows":[],"totals":{"count":0,"amount":"0.00","weightedAmount":"0.00","forecast":"0.00","won":0,"lost":0,"winRate":"0.00","conversion":""}}
$ crm reports targets --format table
Targets and completion
from 2026-11-01  to 2026-11-30
┌───────┬─────────┬───────────────┬───────────────┬──────────┬─────────────────┬──────────────┬────────────┐
│ user  │ month   │ orders target │ orders actual │ orders % │ receipts target │ net received │ receipts % │
│ bob   │ 2026-11 │    200,000.00 │          0.00 │    0.00% │        1,000.50 │         0.00 │      0.00% │
│ total │         │    200,000.00 │          0.00 │    0.00% │        1,000.50 │         0.00 │      0.00% │
└───────┴─────────┴───────────────┴───────────────┴──────────┴─────────────────┴──────────────┴────────────┘
$ crm reports ranking --by height
[stderr]
error E9105: invalid --by height (one of orders-amount, receipts, new-customers, followups, products-sold)
[exit 2]
$ crm reports performance --period someday
[stderr]
error E9101: unknown period someday (one of this-month, last-month, this-quarter, this-year)
  or give dates with --from/--to
[exit 2]
$ crm reports performance --from 2026-12-01 --to 2026-11-01 --json
{"error":{"code":"E9102","message":"--from 2026-12-01 is after --to 2026-11-01"}}
[exit 2]
$ crm --user bob reports settlement
[stderr]
error E4001: permission denied: user bob (sales) may not read settlement reports
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm reports performance --out {TMP}/p.html
[stderr]
report written to {TMP}/p.html (html)
$ crm reports pool --format print --page-lines 20
                    Public pool
from: 2026-11-01  to: 2026-11-30
customers in the pool now: 0
printed: 2026-11-23 10:00:00
                                         page 1 of 1
----------------------------------------------------
month          returned  released  claimed  assigned
----------------------------------------------------
2026-11               0         0        0         0
----------------------------------------------------
Page subtotal         0         0        0         0
Grand total           0         0        0         0
