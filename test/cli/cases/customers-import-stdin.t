# Customers import read from stdin (/dev/stdin), its report as pretty JSON; lines matched by a pattern.
# The golden format's stdin block (<<EOF), `~ ` pattern lines and pretty-printed JSON: see golden.test.ts.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: admin
$ crm customers import /dev/stdin --dry-run --json <<EOF
客户编码,客户名称,上级编码,行业,地区,地址,电话,邮箱,来源,负责人,等级,联系人,联系人电话,联系人邮箱,备注
110101,北京市东城区财政局,,财政,北京,北京市东城区正义路2号,010-65550000,czj@dc.gov.cn,迁移,admin,A,李敏,13800010000,limin@dc.gov.cn,
110101001,东城区财政局第一处,110101,财政,北京,,010-65550001,,迁移,admin,B,,,,
110101002,东城区财政局第二处,110101,财政,北京,,not-a-phone,,迁移,admin,C,,,,
EOF
{
  "file": "stdin",
  "read": 3,
  "inserted": 2,
  "updated": 0,
  "unchanged": 0,
  "rejected": 1,
  "warnings": 0,
  "errors": [
    {
      "line": 4,
      "column": "phone",
      "reason": "not a phone number: not-a-phone"
    }
  ],
  "batchId": null,
  "encoding": "utf8",
  "sha256": "6ceeb41cc17f7f0fea60bf6a8c10b3a84be2839de0e119d01d356ce1c0c073a9",
  "dryRun": true,
  "warningDetails": []
}
[exit 6]
$ crm customers import /dev/stdin <<EOF
客户编码,客户名称,上级编码,行业,地区,地址,电话,邮箱,来源,负责人,等级,联系人,联系人电话,联系人邮箱,备注
110101,北京市东城区财政局,,财政,北京,北京市东城区正义路2号,010-65550000,czj@dc.gov.cn,迁移,admin,A,李敏,13800010000,limin@dc.gov.cn,
110101001,东城区财政局第一处,110101,财政,北京,,010-65550001,,迁移,admin,B,,,,
110101002,东城区财政局第二处,110101,财政,北京,,not-a-phone,,迁移,admin,C,,,,
EOF
~ import finished: stdin \(batch [0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\)
read 3: inserted 2, updated 0, unchanged 0, rejected 1, warnings 0
[stderr]
line 4 phone: not a phone number: not-a-phone
[exit 6]
$ crm customers list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
110101	北京市东城区财政局		110101	admin	A	active	北京	010-65550000	
110101001	东城区财政局第一处	110101	110101	admin	B	active	北京	010-65550001	
# A pattern in stderr: the code and the reason pinned, the directory left open.
$ crm customers import {TMP}/missing.csv
[stderr]
~ error E3102: cannot read .+/missing\.csv: no such file or directory
[exit 7]
