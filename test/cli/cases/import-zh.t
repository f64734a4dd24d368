# An admin working in Chinese: the import's row reasons and the reject report in Chinese (JSON keeps English).
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm users add bob --role sales
added user bob (sales)
$ crm --lang zh customers import {ROOT}/fixtures/customers-demo.csv --dry-run --errors {TMP}/rejects.csv
试运行（未写入）: customers-demo.csv
读取 12 行：新增 3，更新 0，未变 0，拒绝 9，警告 0
[stderr]
第 2 行 上级编码：上级 110101 被拒绝（第 3 行）
第 3 行 负责人：没有这个用户：carol
第 4 行 负责人：没有这个用户：dave
第 8 行 负责人：没有这个用户：dave
第 9 行 电话：不是电话号码：not-a-phone
第 10 行 负责人：没有这个用户：nobody
第 11 行 负责人：没有这个用户：carol
第 11 行 编码：编码 110101 重复：首次出现在第 3 行
第 12 行 负责人：没有这个用户：dave
第 13 行 等级：等级应为 A–E，而不是 "Z"
拒绝报告：{TMP}/rejects.csv
[exit 6]
$ crm --lang zh customers import {ROOT}/fixtures/customers-demo.csv --dry-run --json
{"file":"customers-demo.csv","read":12,"inserted":3,"updated":0,"unchanged":0,"rejected":9,"warnings":0,"errors":[{"line":2,"column":"parent_code","reason":"parent 110101 was rejected (line 3)"},{"line":3,"column":"owner","reason":"unknown user: carol"},{"line":4,"column":"owner","reason":"unknown user: dave"},{"line":8,"column":"owner","reason":"unknown user: dave"},{"line":9,"column":"phone","reason":"not a phone number: not-a-phone"},{"line":10,"column":"owner","reason":"unknown user: nobody"},{"line":11,"column":"owner","reason":"unknown user: carol"},{"line":11,"column":"code","reason":"duplicate code 110101: first at line 3"},{"line":12,"column":"owner","reason":"unknown user: dave"},{"line":13,"column":"grade","reason":"grade must be A-E, not \"Z\""}],"batchId":null,"encoding":"utf8","sha256":"b3f57e090a0662cfc7cb33406e01a9222923af24651f1f857a9e008505d27bf7","dryRun":true,"warningDetails":[]}
[exit 6]
