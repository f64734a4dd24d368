# The operator's lookup: a budget unit calls about a payment (fixed clock Monday 2026-11-23 10:00).
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: admin
$ crm customers add --code 610000 --name 陕西省财政厅
added customer 610000 陕西省财政厅
$ crm customers add --code 610100 --name 陕西省财政厅一处 --parent 610000
added customer 610100 陕西省财政厅一处
$ crm customers add --code 620000 --name 甘肃省财政厅
added customer 620000 甘肃省财政厅
$ crm settlement import {ROOT}/fixtures/feed-demo.csv
~ import finished: feed-demo\.csv \(batch [0-9a-f-]{36}\)
read 12: inserted 6, updated 0, unchanged 0, rejected 6, warnings 0
[stderr]
line 4 customer: unknown customer "610200"
line 6 customer: unknown customer "620100"
line 10 customer: unknown customer "610200"
line 11 customer: unknown customer "620100"
line 12 customer: unknown customer "999999"
line 13 amount: invalid amount for amount "10.001": at most two decimals
[exit 6]
$ crm settlement transactions list
ref	kind	amount	customerCode	unitCode	occurredAt	businessDate	clearingStatus	late
BK20261120-0001	payment	12,500.00	610000 陕西省财政厅	610000	2026-11-20 09:12:05	2026-11-20	pending	
BK20261120-0002	payment	3,800.50	610100 陕西省财政厅一处	610000	2026-11-20 10:40:00	2026-11-20	pending	
BK20261120-0004	payment	45,000.00	620000 甘肃省财政厅	620000	2026-11-20 14:15:00	2026-11-20	pending	
BK20261120-0006	payment	88.80	610100 陕西省财政厅一处	610000	2026-11-20 15:30:00	2026-11-20	pending	
BK20261120-0007	payment	600.00	610000 陕西省财政厅	610000	2026-11-20 15:30:01	2026-11-23	pending	
BK20261121-0001	payment	2,300.00	620000 甘肃省财政厅	620000	2026-11-21 10:00:00	2026-11-23	pending	
[stderr]
total: 6 payments, 64,289.30 yuan; 0 refunds, 0.00 yuan
$ crm settlement transactions list --unit 610000 --format table
┌─────────────────┬─────────┬───────────┬─────────────────────────┬──────────────────┬─────────────────────┬──────────────┬─────────┬──────┐
│ ref             │ kind    │    amount │ unit                    │ first-level unit │ time                │ business day │ status  │ late │
│ BK20261120-0001 │ payment │ 12,500.00 │ 610000 陕西省财政厅     │ 610000           │ 2026-11-20 09:12:05 │ 2026-11-20   │ pending │      │
│ BK20261120-0002 │ payment │  3,800.50 │ 610100 陕西省财政厅一处 │ 610000           │ 2026-11-20 10:40:00 │ 2026-11-20   │ pending │      │
│ BK20261120-0006 │ payment │     88.80 │ 610100 陕西省财政厅一处 │ 610000           │ 2026-11-20 15:30:00 │ 2026-11-20   │ pending │      │
│ BK20261120-0007 │ payment │    600.00 │ 610000 陕西省财政厅     │ 610000           │ 2026-11-20 15:30:01 │ 2026-11-23   │ pending │      │
└─────────────────┴─────────┴───────────┴─────────────────────────┴──────────────────┴─────────────────────┴──────────────┴─────────┴──────┘
total: 4 payments, 16,989.30 yuan; 0 refunds, 0.00 yuan
$ crm --lang zh settlement transactions list --unit 610000 --kind 划款 --format table
┌─────────────────┬──────┬───────────┬─────────────────────────┬──────────┬─────────────────────┬────────────┬────────┬──────┐
│ 流水号          │ 类型 │      金额 │ 单位                    │ 一级单位 │ 交易时间            │ 营业日     │ 状态   │ 迟到 │
│ BK20261120-0001 │ 划款 │ 12,500.00 │ 610000 陕西省财政厅     │ 610000   │ 2026-11-20 09:12:05 │ 2026-11-20 │ 待清算 │      │
│ BK20261120-0002 │ 划款 │  3,800.50 │ 610100 陕西省财政厅一处 │ 610000   │ 2026-11-20 10:40:00 │ 2026-11-20 │ 待清算 │      │
│ BK20261120-0006 │ 划款 │     88.80 │ 610100 陕西省财政厅一处 │ 610000   │ 2026-11-20 15:30:00 │ 2026-11-20 │ 待清算 │      │
│ BK20261120-0007 │ 划款 │    600.00 │ 610000 陕西省财政厅     │ 610000   │ 2026-11-20 15:30:01 │ 2026-11-23 │ 待清算 │      │
└─────────────────┴──────┴───────────┴─────────────────────────┴──────────┴─────────────────────┴────────────┴────────┴──────┘
合计：划款 4 笔 16,989.30 元；退款 0 笔 0.00 元
$ crm settlement transactions list --ref BK20261120-0002 --json
[{"ref":"BK20261120-0002","kind":"payment","amount":"3800.50","customerCode":"610100","customerName":"陕西省财政厅一处","unitCode":"610000","unitName":"陕西省财政厅","accountClass":"财政授权支付","occurredAt":"2026-11-20T02:40:00.000Z","businessDate":"2026-11-20","clearingStatus":"pending","clearingDate":null,"late":false}]
$ crm settlement transactions show BK20261120-0002
ref               BK20261120-0002
kind              payment
amount            3,800.50
unit              610100 陕西省财政厅一处
first-level unit  610000 陕西省财政厅
account class     财政授权支付
payer account     6222020000000002
memo              差旅费
time              2026-11-20 10:40:00
business day      2026-11-20
late              no
status            pending
cleared on        -
clearing file     -
voucher           -
source            bank feed
recorded at       2026-11-23 10:00:00
$ crm --lang zh settlement transactions show BK20261120-0002
流水号    BK20261120-0002
类型      划款
金额      3,800.50
单位      610100 陕西省财政厅一处
一级单位  610000 陕西省财政厅
账户分类  财政授权支付
付款账号  6222020000000002
摘要      差旅费
交易时间  2026-11-20 10:40:00
营业日    2026-11-20
迟到      否
状态      待清算
清算日期  -
清算文件  -
凭证号    -
来源      银行流水
登记时间  2026-11-23 10:00:00
$ crm settlement transactions show NOPE
[stderr]
error E7140: no transaction with ref NOPE
  search by unit with "crm settlement transactions list --unit CODE"
[exit 3]
$ crm settlement transactions list --min 1000 --max 5000 --format table
┌─────────────────┬─────────┬──────────┬─────────────────────────┬──────────────────┬─────────────────────┬──────────────┬─────────┬──────┐
│ ref             │ kind    │   amount │ unit                    │ first-level unit │ time                │ business day │ status  │ late │
│ BK20261120-0002 │ payment │ 3,800.50 │ 610100 陕西省财政厅一处 │ 610000           │ 2026-11-20 10:40:00 │ 2026-11-20   │ pending │      │
│ BK20261121-0001 │ payment │ 2,300.00 │ 620000 甘肃省财政厅     │ 620000           │ 2026-11-21 10:00:00 │ 2026-11-23   │ pending │      │
└─────────────────┴─────────┴──────────┴─────────────────────────┴──────────────────┴─────────────────────┴──────────────┴─────────┴──────┘
total: 2 payments, 6,100.50 yuan; 0 refunds, 0.00 yuan
$ crm settlement transactions list --unit 999
[stderr]
error E7142: --unit: no unit with code 999
[exit 3]
$ crm settlement names list
unitCode	name	reason	setBy	setAt
$ crm --lang zh settlement names set 610000 --name 陕西省财政厅😀 --reason 测试
[stderr]
错误 E3166: --name "陕西省财政厅😀" 的第 7 个字符 "😀"（U+1F600）不能写入 GBK 编码的清算文件
  换用 GBK 能表示的字（如把生僻字换成常用写法，去掉表情符号）
[exit 2]
$ crm --lang zh settlement names set 610000 --name 陕西省财政厅（本部） --reason 测试
清算文件中 610000 的名称为：陕西省财政厅（本部）
$ crm settlement names list --json
[{"unitCode":"610000","name":"陕西省财政厅（本部）","reason":"测试","setBy":"admin","setAt":"2026-11-23T02:00:00.000Z"}]
$ crm audit list --limit 1
id	at	user	via	action	entity	entityId	after
~ 8\t2026-11-23 10:00:00\tadmin\tOS account \S+\tsettlement\.names\.set\tclearing_unit_name\t610000\t.*
$ crm settlement summary generate --date 2026-11-20 --status pending
generated the pending list of 2026-11-20: 2 rows, 4 transactions, 61,389.30 yuan
$ crm settlement summary show --date 2026-11-20 --status pending --unit 610100
[stderr]
error E2034: 610100 is a sub-unit; the summary lists are by first-level unit: use --unit 610000
[exit 2]
$ crm --lang zh settlement summary show --date 2026-11-20 --status pending --unit 610100
[stderr]
错误 E2034: 610100 是下级单位；汇总清单按一级单位列出：用 --unit 610000
[exit 2]
$ crm settlement classify --date 2026-11-20 --status pending --account-class 现金
[stderr]
error E7104: unknown account class "现金" (known: 财政授权支付, 财政直接支付, 其他)
[exit 2]
$ crm --lang zh settlement day --date 2026-11-20 --out-dir {TMP}/out-zh
✓ 启动：2026-11-20 已启动
✓ 早间待清算汇总清单：2026-11-19：0 行
✓ 截止：2026-11-20：待清算 4 笔
✓ 截止待清算日期：2026-11-19 原为未启动
✓ 清算：清算 0 笔；文件：-
✓ 已清算汇总清单：2026-11-20：0 行
✓ 待清算汇总清单：2026-11-19：0 行
2026-11-20 清算完成：待清算日期 2026-11-19，清算 0 笔
name	voucher	rows	count	total	path
[stderr]
无 qs 文件：没有待清算的划款
无 tk 文件：没有待清算的退款
$ crm --lang zh settlement summary show --date 2026-11-20 --status pending --format print
                 财政拨付划款汇总清单
日期：2026-11-20  清算类型：待清算
                                      第 1 页 / 共 1 页
-------------------------------------------------------
一级预算单位国标码  单位名称      类型  笔数       金额
-------------------------------------------------------
610000              陕西省财政厅  划款     3  16,389.30
620000              甘肃省财政厅  划款     1  45,000.00
-------------------------------------------------------
本页小计                                   4  61,389.30
合计                                       4  61,389.30

经办：____________    复核：____________    主管：____________
