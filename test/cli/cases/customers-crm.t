# Customers: add/show/list JSON fields, contacts, leads (duplicate check, convert), follow-ups, merge, grade.
$ crm init --admin admin --yes
database: sqlite:{TMP}/crm.sqlite
migrations applied: 0001_foundation, 0002_customers, 0003_settlement, 0004_orders, 0005_reports, 0006_report_indexes, 0007_clearing_unit_names, 0011_auth
admin created: admin
$ crm users add carol --role manager
added user carol (manager)
$ crm users add bob --role sales --supervisor carol
added user bob (sales)
$ crm users add erin --role sales
added user erin (sales)
$ crm customers add --code 110101 --name 北京市东城区财政局 --owner carol --phone 010-65550000 --region 北京
added customer 110101 北京市东城区财政局
$ crm customers add --code 110101001 --name 东城区财政局第一处 --parent 110101 --owner bob --email yichu@dc.gov.cn
added customer 110101001 东城区财政局第一处
$ crm customers add --code 110101 --name again
[stderr]
error E3117: customer code already exists: 110101
[exit 5]
$ crm customers add --code X1
[stderr]
error E0001: missing required option --name
  on a terminal the command asks for it; in scripts pass the option
[exit 2]
$ crm customers show 110101001 --json
{"id":2,"code":"110101001","name":"东城区财政局第一处","kind":"company","parentCode":"110101","firstLevelCode":"110101","industry":null,"region":null,"address":null,"phone":null,"email":"yichu@dc.gov.cn","source":null,"owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z","contacts":[],"followups":[],"orders":{"count":0,"totalFen":"0"}}
$ crm customers list --json
[{"id":1,"code":"110101","name":"北京市东城区财政局","kind":"company","parentCode":null,"firstLevelCode":"110101","industry":null,"region":"北京","address":null,"phone":"010-65550000","email":null,"source":null,"owner":"carol","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"},{"id":2,"code":"110101001","name":"东城区财政局第一处","kind":"company","parentCode":"110101","firstLevelCode":"110101","industry":null,"region":null,"address":null,"phone":null,"email":"yichu@dc.gov.cn","source":null,"owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"}]
$ crm --user bob customers list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
110101001	东城区财政局第一处	110101	110101	bob		active			
$ crm --user erin customers show 110101001
[stderr]
error E3111: customer 110101001 is outside your data scope
  ask the customer's owner or their manager
[exit 4]
# Contacts: the first is primary; --primary moves it; deleting the primary promotes the oldest other.
$ crm --user bob contacts add 110101001 --name 王磊 --mobile 13800010001
added contact 1 王磊 (110101001) *
$ crm --user bob contacts add 110101001 --name 李敏 --title 科长 --primary
added contact 2 李敏 (110101001) *
$ crm --user bob contacts list --customer 110101001
id	customerCode	name	title	mobile	phone	email	primary
2	110101001	李敏	科长				yes
1	110101001	王磊		13800010001			no
$ crm --user bob contacts set-primary 1
primary contact of 110101001: 1 王磊 *
$ crm --user bob contacts delete 1
deleted contact 1 王磊
new primary contact: 2 李敏
$ crm --user bob contacts list --json
[{"id":2,"customerCode":"110101001","customerName":"东城区财政局第一处","name":"李敏","title":"科长","phone":null,"mobile":null,"email":null,"primary":true,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"}]
$ crm --user bob contacts add 110101001 --name 坏邮箱 --email nope
[stderr]
error E3151: invalid email "nope" (expected an email address)
[exit 2]
$ crm --user erin contacts delete 2
[stderr]
error E3111: customer 110101001 is outside your data scope
  ask the customer's owner or their manager
[exit 4]
$ crm contacts edit 99 --name x
[stderr]
error E3150: no such contact: 99
  see "crm contacts list --customer CODE" for contact ids
[exit 3]
# Leads and follow-ups.
$ crm --user bob leads add --name "东城区 财政局第一处" --contact 张三
added lead 1 东城区 财政局第一处
$ crm --user bob leads add --name 朝阳区教育委员会 --contact 李明 --phone 010-85550001 --source 展会
added lead 2 朝阳区教育委员会
$ crm --user bob followups add --lead 2 --method visit --content 初次拜访 --at "2026-11-20 14:30" --next 2026-11-27
recorded follow-up 1: lead 2 2026-11-20 14:30:00
$ crm --user bob followups add --lead 2 --method fax --content x
[stderr]
error E3157: invalid follow-up method: fax (one of phone, visit, email, sms, meeting)
[exit 2]
$ crm --user bob followups add --method phone --content x
[stderr]
error E3158: a follow-up is for a customer or a lead: give one of them
  pass --customer CODE or --lead ID
[exit 2]
$ crm --user bob followups add --customer 110101001 --method phone --content x --at "2026-12-01 10:00"
[stderr]
error E3159: the follow-up time is in the future: 2026-12-01 10:00
  for the next follow-up use --next
[exit 2]
$ crm --user bob leads list
id	name	contactName	phone	source	status	owner	customerCode
2	朝阳区教育委员会	李明	010-85550001	展会	working	bob	
1	东城区 财政局第一处	张三			new	bob	
$ crm --user bob leads convert 1 --code 110101009
[stderr]
error E3155: possible duplicate of existing customers: 110101001 东城区财政局第一处 (name)
  if it is the same customer, attach the lead with --link 110101001; otherwise use another code or name
[exit 5]
$ crm --user bob leads convert 1
[stderr]
error E3156: converting a lead needs the new customer code: --code
  or attach it to an existing customer with --link CODE
[exit 2]
$ crm --user bob leads convert 2 --code 110105 --opportunity "2027 年度服务" --amount 120000 --close-date 2027-03-31 --json
{"lead":{"id":2,"name":"朝阳区教育委员会","contactName":"李明","phone":"010-85550001","email":null,"source":"展会","status":"converted","owner":"bob","customerCode":"110105","disqualifyReason":null,"note":null,"convertedAt":"2026-11-23T02:00:00.000Z","createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"},"customer":{"id":3,"code":"110105","name":"朝阳区教育委员会","kind":"company","parentCode":null,"firstLevelCode":"110105","industry":null,"region":null,"address":null,"phone":"010-85550001","email":null,"source":"展会","owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":"2026-11-20T06:30:00.000Z","lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"},"created":true,"contactId":3,"opportunityId":1,"followupsMoved":1}
$ crm --user bob leads convert 2 --code 110106
[stderr]
error E3154: lead 2 is already converted
[exit 5]
$ crm --user bob leads disqualify 1
[stderr]
error E3153: disqualifying a lead needs a reason
  pass --reason "why"
[exit 2]
$ crm --user bob leads disqualify 1 --reason 与现有客户重复
lead 1 disqualified
$ crm --user bob leads show 1 --json
{"id":1,"name":"东城区 财政局第一处","contactName":"张三","phone":null,"email":null,"source":null,"status":"disqualified","owner":"bob","customerCode":null,"disqualifyReason":"与现有客户重复","note":null,"convertedAt":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z","followups":[]}
$ crm --user bob followups add --customer 110101001 --method 电话 --content 确认需求 --json
{"id":2,"customerCode":"110101001","customerName":"东城区财政局第一处","leadId":null,"leadName":null,"user":"bob","method":"phone","content":"确认需求","at":"2026-11-23T02:00:00.000Z","nextAt":null,"createdAt":"2026-11-23T02:00:00.000Z"}
$ crm --user bob followups list
id	at	customerCode	leadId	user	method	content	nextAt
2	2026-11-23T02:00:00.000Z	110101001		bob	phone	确认需求	
1	2026-11-20T06:30:00.000Z	110105	2	bob	visit	初次拜访	2026-11-27T01:00:00.000Z
$ crm --user erin followups list
id	at	customerCode	leadId	user	method	content	nextAt
$ crm customers show 110105 --json
{"id":3,"code":"110105","name":"朝阳区教育委员会","kind":"company","parentCode":null,"firstLevelCode":"110105","industry":null,"region":null,"address":null,"phone":"010-85550001","email":null,"source":"展会","owner":"bob","grade":null,"gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":"2026-11-20T06:30:00.000Z","lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z","contacts":[{"name":"李明","title":null,"mobile":null,"phone":"010-85550001","email":null,"primary":true}],"followups":[{"at":"2026-11-20T06:30:00.000Z","method":"visit","content":"初次拜访","user":"bob","nextAt":"2026-11-27T01:00:00.000Z"}],"orders":{"count":0,"totalFen":"0"}}
# Merge: admins and managers; SRC is marked deleted.
$ crm --user bob customers merge 110105 110101001
[stderr]
error E4001: permission denied: user bob (sales) may not merge customers
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm customers merge 110101 110101001
[stderr]
error E3161: 110101001 is below 110101 in the organisation tree; cannot merge into it
  move 110101001 out first (crm customers edit 110101001 --parent ...), or merge the other way round
[exit 5]
$ crm --user carol customers merge 110105 110101001
merged 110105 into 110101001
  contacts 1, followups 1, leads 1, opportunities 1, orders 0, transactions 0, children 0
  filled in: phone, source
$ crm customers show 110105
[stderr]
error E3110: no such customer: 110105
  find the code with "crm customers list --search TEXT"
[exit 3]
# Grade: Pareto over counted orders; manual grades kept; auto clears.
$ crm products add P-1 --name 年度服务 --price 1000 --unit 年
added product P-1 (1,000.00 yuan)
$ crm customers add --code 110102 --name 北京市西城区教育局 --owner bob
added customer 110102 北京市西城区教育局
$ crm orders create --customer 110101 --item P-1:60 --signed-at 2026-11-20 --number HT-1
order HT-1: draft, total 60,000.00
$ crm orders submit HT-1
order HT-1 submitted and approved (within the limits)
$ crm orders create --customer 110101001 --item P-1:30 --signed-at 2026-11-20 --number HT-2
order HT-2: draft, total 30,000.00
$ crm orders submit HT-2
order HT-2 submitted and approved (within the limits)
$ crm orders create --customer 110102 --item P-1:10 --signed-at 2026-11-20 --number HT-3
order HT-3: draft, total 10,000.00
$ crm orders create --customer 110102 --item P-1:500 --signed-at 2026-11-20 --number HT-4
order HT-4: draft, total 500,000.00
$ crm orders submit HT-3
order HT-3 submitted and approved (within the limits)
$ crm customers edit 110101 --grade C
code            110101
name            北京市东城区财政局
parent          -
first level     110101
owner           carol
grade           C (manual)
status          active
industry        -
region          北京
address         -
phone           010-65550000
email           -
source          -
last follow-up  -
created         2026-11-23 10:00:00
updated         2026-11-23 10:00:00
note            -
$ crm customers grade --dry-run --all
code	name	sales	cumulativeShare	oldGrade	grade	manual
110101	北京市东城区财政局	60000.00	60.00	C	C	yes
110101001	东城区财政局第一处	30000.00	90.00		B	no
110102	北京市西城区教育局	10000.00	100.00		C	no
[stderr]
2025-11-24..2026-11-23 sales 100000.00: 3 customers, 2 would change, 1 manual grades kept (dry run, nothing changed)
$ crm --user carol customers grade
[stderr]
error E4001: permission denied: user carol (manager) may not regrade customers
  ask an admin, or have a user with that permission run it
[exit 4]
$ crm customers grade
code	name	sales	cumulativeShare	oldGrade	grade	manual
110101001	东城区财政局第一处	30000.00	90.00		B	no
110102	北京市西城区教育局	10000.00	100.00		C	no
[stderr]
2025-11-24..2026-11-23 sales 100000.00: 3 customers, 2 changed, 1 manual grades kept
$ crm customers list --json --sort grade
[{"id":2,"code":"110101001","name":"东城区财政局第一处","kind":"company","parentCode":"110101","firstLevelCode":"110101","industry":null,"region":null,"address":null,"phone":"010-85550001","email":"yichu@dc.gov.cn","source":"展会","owner":"bob","grade":"B","gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":"2026-11-23T02:00:00.000Z","lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"},{"id":1,"code":"110101","name":"北京市东城区财政局","kind":"company","parentCode":null,"firstLevelCode":"110101","industry":null,"region":"北京","address":null,"phone":"010-65550000","email":null,"source":null,"owner":"carol","grade":"C","gradeManual":true,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"},{"id":4,"code":"110102","name":"北京市西城区教育局","kind":"company","parentCode":null,"firstLevelCode":"110102","industry":null,"region":null,"address":null,"phone":null,"email":null,"source":null,"owner":"bob","grade":"C","gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"}]
$ crm customers edit 110101 --grade auto --json
{"id":1,"code":"110101","name":"北京市东城区财政局","kind":"company","parentCode":null,"firstLevelCode":"110101","industry":null,"region":"北京","address":null,"phone":"010-65550000","email":null,"source":null,"owner":"carol","grade":"C","gradeManual":false,"status":"active","dealStatus":"none","lastFollowupAt":null,"lastDealAt":null,"ownedSince":"2026-11-23T02:00:00.000Z","note":null,"createdAt":"2026-11-23T02:00:00.000Z","updatedAt":"2026-11-23T02:00:00.000Z"}
$ crm customers grade --json --dry-run --from 2026-11-01 --to 2026-11-30
{"from":"2026-11-01","to":"2026-11-30","thresholds":{"A":50,"B":80,"C":95,"D":99},"totalSales":"100000.00","customers":3,"changed":1,"manualKept":0,"dryRun":true,"batchId":null,"rows":[{"code":"110101","name":"北京市东城区财政局","sales":"60000.00","share":"60.00","cumulativeShare":"60.00","oldGrade":"C","grade":"A","manual":false,"changed":true},{"code":"110101001","name":"东城区财政局第一处","sales":"30000.00","share":"30.00","cumulativeShare":"90.00","oldGrade":"B","grade":"B","manual":false,"changed":false},{"code":"110102","name":"北京市西城区教育局","sales":"10000.00","share":"10.00","cumulativeShare":"100.00","oldGrade":"C","grade":"C","manual":false,"changed":false}]}
$ crm customers grade --from 2026-12-01 --to 2026-11-01
[stderr]
error E3163: --from 2026-12-01 is after --to 2026-11-01
[exit 2]
