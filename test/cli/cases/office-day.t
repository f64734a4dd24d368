# 办公：客户经理 bob 的一天（2026-11-23 周一），中文界面。待办、任务、日程、拜访计划与填报、拜访日报表、日志、公告、通讯录。
# env: CRM_LANG=zh
# env: CRM_NOW=2026-11-20T09:00:00+08:00
$ crm init --admin admin --yes
数据库：sqlite:{TMP}/crm.sqlite
~ 已应用迁移：0001_foundation(, \d{4}_\w+)*
已创建管理员：admin
$ crm users add carol --role manager
已添加用户 carol（manager）
$ crm users add bob --role sales --supervisor carol
已添加用户 bob（sales）
$ crm users edit bob --department 客户部 --title 客户经理 --mobile 13800010001 --email bob@example.com
已更新 bob 的通讯录信息
$ crm users edit carol --department 客户部 --title 经理 --phone 010-65550000
已更新 carol 的通讯录信息
$ crm customers add --code 110101 --name 北京市东城区财政局 --owner bob
已新增客户 110101 北京市东城区财政局
$ crm customers add --code 110102 --name 北京市西城区财政局 --owner bob
已新增客户 110102 北京市西城区财政局
$ crm --user bob followups add --customer 110102 --method phone --content 确认对账需求 --next "2026-11-23 09:30"
已登记跟进 1：110102 2026-11-20 09:00:00
$ crm config set worklog.requireDaily true
已设置 worklog.requireDaily = true（数据库，所有用户共享）
$ crm announcements add --title 年终结算安排 --content "12月31日系统升级，当日停止服务" --pin
已发布公告 1：年终结算安排
# 周一早上 08:30：bob 看待办
# env: CRM_NOW=2026-11-23T08:30:00+08:00
$ crm --user bob todo
bob 的待办（2026-11-23）：4 项

到期跟进（1）
  09:30  跟进 北京市西城区财政局（110102）：确认对账需求
      → crm followups add --customer 110102 --method phone --content …

待写日志（2）
  2026-11-20 18:00  [逾期] 2026-11-20 的日报未写
      → crm logs add --kind daily --date 2026-11-20 --content …
  18:00  2026-11-23 的日报未写
      → crm logs add --kind daily --date 2026-11-23 --content …

未读公告（1）
  公告 1：年终结算安排
      → crm announcements read 1
$ crm --user bob announcements list
read	id	title	author	createdAt	until
●	1	[置顶] 年终结算安排	admin	2026-11-20 09:00:00	
$ crm --user bob announcements read 1
标题      年终结算安排
发布人    admin
发布时间  2026-11-20 09:00:00
有效至    -

12月31日系统升级，当日停止服务
$ crm --user bob tasks add "准备续签材料" --due "2026-11-23 17:00" --customer 110101 --cc carol
已添加任务 1：准备续签材料（执行人 bob，截止 2026-11-23 17:00）
$ crm --user bob tasks add "给李处长打电话" --assignee carol
[stderr]
错误 E5103: 指派：carol 不在你的团队范围内
  客户经理只能指定自己，经理只能指定自己团队的成员
[exit 4]
$ crm --user bob schedule add "拜访东城区财政局" --start "2026-11-23 14:30" --end "2026-11-23 16:00" --place 东城区 --customer 110101 --with carol --remind 30
已添加日程 1：拜访东城区财政局（2026-11-23 14:30 – 2026-11-23 16:00）
$ crm --user bob schedule add "周例会" --start "2026-11-23 17:00" --end "2026-11-23 16:00"
[stderr]
错误 E5102: 结束时间 2026-11-23 16:00 不晚于开始时间 2026-11-23 17:00
  结束时间须晚于开始时间
[exit 2]
$ crm --user bob visits plan --customer 110101 --purpose problem --with carol
已计划拜访 1：2026-11-23 北京市东城区财政局（110101），b 处理问题
$ crm --user bob schedule list
2026-11-23 周一
  14:30–16:00 [1] 拜访东城区财政局  @东城区  客户 110101  参与：bob, carol
$ crm --user bob todo --json
[{"kind":"followup","title":"跟进 北京市西城区财政局（110102）：确认对账需求","due":"2026-11-23T01:30:00.000Z","ref":"customer:110102","command":"crm followups add --customer 110102 --method phone --content …","user":"bob","overdue":false},{"kind":"task","title":"任务 1：准备续签材料","due":"2026-11-23T09:00:00.000Z","ref":"task:1","command":"crm tasks done 1","user":"bob","overdue":false},{"kind":"schedule","title":"日程 1：拜访东城区财政局（东城区）","due":"2026-11-23T06:30:00.000Z","ref":"schedule:1","command":"crm schedule show 1","user":"bob","overdue":false},{"kind":"visit","title":"拜访 1：北京市东城区财政局（110101）","due":"2026-11-22T16:00:00.000Z","ref":"visit:1","command":"crm visits report 1 --result B --notes …","user":"bob","overdue":false},{"kind":"worklog","title":"2026-11-20 的日报未写","due":"2026-11-20T10:00:00.000Z","ref":"worklog:2026-11-20","command":"crm logs add --kind daily --date 2026-11-20 --content …","user":"bob","overdue":true},{"kind":"worklog","title":"2026-11-23 的日报未写","due":"2026-11-23T10:00:00.000Z","ref":"worklog:2026-11-23","command":"crm logs add --kind daily --date 2026-11-23 --content …","user":"bob","overdue":false}]
# 下午 16:30：拜访回来，填报（同时登记一条跟进），写日报
# env: CRM_NOW=2026-11-23T16:30:00+08:00
$ crm --user carol visits report 1 --result A
[stderr]
错误 E5131: 拜访 1 是 bob 的，只能由本人填报
  用 "crm visits list" 查看自己的拜访
[exit 4]
$ crm --user bob visits report 1 --result B --notes 演示新系统 --handled 账户对账问题 --open 需财政局确认格式 --next 2026-12-01 --expense 36.5 --expense-item 交通
已填报拜访 1：B 有希望；已登记跟进 2
$ crm --user bob followups list --customer 110101
id	at	customerCode	leadId	user	method	content	nextAt
2	2026-11-23T01:00:00.000Z	110101		bob	visit	拜访 b 处理问题；B 有希望；演示新系统；已处理：账户对账问题；待处理：需财政局确认格式	2026-12-01T01:00:00.000Z
$ crm --user bob visits daily --format print
                                                             拜访日报表
日期：2026-11-23    拜访人：bob    拜访数：1
打印时间：2026-11-23 16:30:00
                                                                                                                    第 1 页 / 共 1 页
-------------------------------------------------------------------------------------------------------------------------------------
    编号  客户                          拜访目的    拜访结果  洽谈内容    已处理问题    待处理问题        下次拜访     费用  费用项目
-------------------------------------------------------------------------------------------------------------------------------------
       1  北京市东城区财政局（110101）  b 处理问题  B 有希望  演示新系统  账户对账问题  需财政局确认格式  2026-12-01  36.50  交通
-------------------------------------------------------------------------------------------------------------------------------------
本页小计                                                                                                              36.50
    合计                                                                                                              36.50

经办：____________    复核：____________    主管：____________
$ crm --user bob visits daily --json
{"date":"2026-11-23","user":"bob","visits":[{"id":1,"customerCode":"110101","customerName":"北京市东城区财政局","user":"bob","companion":"carol","date":"2026-11-23","purpose":"problem","status":"reported","result":"B","notes":"演示新系统","problemsHandled":"账户对账问题","problemsOpen":"需财政局确认格式","next":"2026-12-01","expense":"36.50","expenseItem":"交通","followupId":2,"reportedAt":"2026-11-23T08:30:00.000Z"}],"expenseTotal":"36.50"}
$ crm --user bob tasks done 1
任务 1 已完成：准备续签材料
$ crm --user bob logs add --content "拜访东城区财政局，处理对账问题" --customer 110101
已写日志 1（daily 2026-11-23）
$ crm --user bob todo
bob 的待办（2026-11-23）：3 项

到期跟进（1）
  09:30  [逾期] 跟进 北京市西城区财政局（110102）：确认对账需求
      → crm followups add --customer 110102 --method phone --content …

今日日程（1）
  14:30  日程 1：拜访东城区财政局（东城区）
      → crm schedule show 1

待写日志（1）
  2026-11-20 18:00  [逾期] 2026-11-20 的日报未写
      → crm logs add --kind daily --date 2026-11-20 --content …
$ crm --user carol todo --team
bob, carol 的待办（2026-11-23）：7 项

到期跟进（1）
  09:30  [bob] [逾期] 跟进 北京市西城区财政局（110102）：确认对账需求
      → crm followups add --customer 110102 --method phone --content …

今日日程（2）
  14:30  [bob] 日程 1：拜访东城区财政局（东城区）
      → crm schedule show 1
  14:30  [carol] 日程 1：拜访东城区财政局（东城区）
      → crm schedule show 1

待写日志（3）
  2026-11-20 18:00  [bob] [逾期] 2026-11-20 的日报未写
      → crm logs add --kind daily --date 2026-11-20 --content …
  2026-11-20 18:00  [carol] [逾期] 2026-11-20 的日报未写
      → crm logs add --kind daily --date 2026-11-20 --content …
  18:00  [carol] 2026-11-23 的日报未写
      → crm logs add --kind daily --date 2026-11-23 --content …

未读公告（1）
  [carol] 公告 1：年终结算安排
      → crm announcements read 1
$ crm --user carol reports visits --from 2026-11-01 --to 2026-11-30
user	planned	reported	unreported	first	problem	relationship	A	B	C	D	E	expense
bob	1	1	0	0	1	0	0	1	0	0	0	36.50
$ crm users list --directory
department	name	displayName	title	phone	mobile	email
客户部	bob		客户经理		13800010001	bob@example.com
客户部	carol		经理	010-65550000		
	admin	admin				
