# Orders area: the product catalogue and the errors a script can rely on.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm users add bob --role sales
added user bob (sales)
$ crm products add P-100 --name "Rack server" --price "¥45,000" --unit pc --category Hardware/Servers
added product P-100 (45,000.00 yuan)
$ crm products add P-100 --name again --price 1
[stderr]
error E6102: product already exists: P-100
  use "crm products edit" to change it
[exit 5]
$ crm products add S-200 --name Support --price 1999.999
[stderr]
error E1001: invalid amount for --price "1999.999": at most two decimals
  give the amount in yuan with at most two decimals, e.g. 1234.56, 1,234.56 or ¥1,234.56
[exit 2]
$ crm --user bob products add X-1 --name x --price 1
[stderr]
error E4001: permission denied: user bob (sales) may not maintain the product catalogue
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm products add S-200 --name "Support day" --price 1999.99 --category Services
added product S-200 (1,999.99 yuan)
$ crm products disable S-200
code      S-200
name      Support day
category  Services
unit      -
price     1,999.99
on sale   no
updated   2026-11-23T02:00:00.000Z
$ crm products list --json
[{"code":"P-100","name":"Rack server","category":"Hardware/Servers","unit":"pc","price":"45000.00","onSale":true},{"code":"S-200","name":"Support day","category":"Services","unit":null,"price":"1999.99","onSale":false}]
$ crm products categories list
path	name	parent	products
Hardware	Hardware		0
Hardware/Servers	Servers	Hardware	1
Services	Services		1
$ crm products show P-100 --json
{"code":"P-100","name":"Rack server","category":"Hardware/Servers","unit":"pc","price":"45000.00","onSale":true}
$ crm orders show SO-NONE
[stderr]
error E6130: no such order: SO-NONE
  see "crm orders list" for order numbers
[exit 3]
$ crm orders create --customer NOPE --item P-100:1
[stderr]
error E6110: no such customer: NOPE
  see "crm customers list" for customer codes
[exit 2]
$ crm orders create --customer NOPE
[stderr]
error E6138: an order needs at least one --item
  e.g. --item P-100:2
[exit 2]
$ crm orders list --status shipped
[stderr]
error E6132: unknown order status: shipped (one of draft, submitted, approved, rejected, fulfilled, closed, cancelled)
[exit 2]
$ crm opps add --customer NOPE --name x --amount 0
[stderr]
error E6124: the opportunity amount must be above 0
[exit 2]
