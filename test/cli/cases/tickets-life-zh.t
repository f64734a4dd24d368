# 工单的一生（中文界面 --lang zh）：国庆节前受理的高优先级投诉，工作时间内的服务时限、每小时升级、解决、
# 不满意的回访重开工单、再次解决、满意的回访、关闭。
# env: CRM_NOW=2026-09-30T16:00:00+08:00
$ crm --lang zh init --admin admin --yes
数据库：sqlite:{TMP}/crm.sqlite
~ 已应用迁移：0001_foundation(, \d{4}_\w+)*
已创建管理员：admin
$ crm --lang zh users add carol --role manager
已添加用户 carol（manager）
$ crm --lang zh users add bob --role sales --supervisor carol
已添加用户 bob（sales）
$ crm --lang zh customers add --code 110101001 --name 东城区财政局第一处 --owner bob
已新增客户 110101001 东城区财政局第一处
$ crm --lang zh tickets add --customer 110101001 --kind complaint --priority high --title 划款延迟 --content "9月29日的划款未到账" --channel phone
CS20260930-0001 已受理：投诉，高，处理人 bob；响应时限 2026-10-08 11:00，解决时限 2026-10-09 14:00
$ crm --lang zh tickets add --customer 110101001 --kind praise --priority high --title x --content y
[stderr]
错误 E4101: 工单类型无效：praise
  可选：complaint (投诉), fault (故障), request (业务受理), enquiry (咨询)
[exit 2]
$ crm --lang zh tickets add --customer NOPE --kind complaint --title x --content y
[stderr]
错误 E4116: 客户不存在：NOPE
  用 "crm customers list --search 文本" 查找客户编码
[exit 3]
$ crm --lang zh tickets resolve CS20260930-0001 --resolution 已重新划款
[stderr]
错误 E4108: 工单 CS20260930-0001 当前为“待响应”，不能解决（只能从 处理中、已重开 状态）
  先用 "crm tickets respond N --content …" 响应
[exit 5]
# env: CRM_NOW=2026-10-08T12:05:00+08:00
$ crm --lang zh tickets list --breached --format table
┌─────────────────┬─────────────────────┬───────────┬──────┬────────┬────────┬────────┬──────────┬─────────────────────┬──────┬─────────────────────┬──────┬────────┬────────┐
│ 工单号          │ 受理时间            │ 客户      │ 类型 │ 优先级 │ 状态   │ 处理人 │ 标题     │ 响应时限            │ 响应 │ 解决时限            │ 解决 │ 回访日 │ 满意度 │
│ CS20260930-0001 │ 2026-09-30 16:00:00 │ 110101001 │ 投诉 │ 高     │ 待响应 │ bob    │ 划款延迟 │ 2026-10-08 11:00:00 │ 超时 │ 2026-10-09 14:00:00 │      │        │        │
└─────────────────┴─────────────────────┴───────────┴──────┴────────┴────────┴────────┴──────────┴─────────────────────┴──────┴─────────────────────┴──────┴────────┴────────┘
$ crm --lang zh jobs run service-escalation
service-escalation 2026-10-08 12:00：已完成（运行 1，第 1 次）
  超时升级: 完成
$ crm --lang zh jobs run service-escalation --hour 12
[stderr]
错误 E8101: 作业 service-escalation 2026-10-08 12:00 已于 2026-10-08T12:05:00+08:00 完成，不再重复运行
  确需重跑时由管理员加 --rerun --reason "原因"（会记入审计日志）
[exit 5]
$ crm --lang zh --user bob tickets respond CS20260930-0001 --content "已致电客户，正在与银行核对"
CS20260930-0001 已响应（超时）（状态：处理中）
$ crm --lang zh --user bob tickets note CS20260930-0001 --content "已调取银行流水"
CS20260930-0001 已记录（状态：处理中）
$ crm --lang zh --user bob tickets resolve CS20260930-0001
[stderr]
错误 E4109: 解决工单须写明解决办法
  用 --resolution "如何解决的" [--measures "改进措施"]
[exit 2]
# env: CRM_NOW=2026-10-09T10:00:00+08:00
$ crm --lang zh --user bob tickets resolve CS20260930-0001 --resolution "10月9日重新划款" --measures "截止前复核当日清单"
CS20260930-0001 已解决，2026-10-13 回访（状态：已解决）
$ crm --lang zh tickets list --revisit-due --format table
[stderr]
没有工单
# env: CRM_NOW=2026-10-14T10:00:00+08:00
$ crm --lang zh tickets list --revisit-due --format table
┌─────────────────┬─────────────────────┬───────────┬──────┬────────┬────────┬────────┬──────────┬─────────────────────┬──────┬─────────────────────┬──────┬────────────┬────────┐
│ 工单号          │ 受理时间            │ 客户      │ 类型 │ 优先级 │ 状态   │ 处理人 │ 标题     │ 响应时限            │ 响应 │ 解决时限            │ 解决 │ 回访日     │ 满意度 │
│ CS20260930-0001 │ 2026-09-30 16:00:00 │ 110101001 │ 投诉 │ 高     │ 已解决 │ bob    │ 划款延迟 │ 2026-10-08 11:00:00 │ 超时 │ 2026-10-09 14:00:00 │ 达标 │ 2026-10-13 │        │
└─────────────────┴─────────────────────┴───────────┴──────┴────────┴────────┴────────┴──────────┴─────────────────────┴──────┴─────────────────────┴──────┴────────────┴────────┘
$ crm --lang zh tickets revisit CS20260930-0001 --satisfaction 7
[stderr]
错误 E4110: 满意度须为 1 到 5 的整数：7
  1 非常不满意 … 5 非常满意
[exit 2]
$ crm --lang zh tickets revisit CS20260930-0001 --satisfaction 2 --comment "仍未到账"
CS20260930-0001 已回访，满意度 2：不满意，工单重开（状态：已重开）
$ crm --lang zh --user bob tickets resolve CS20260930-0001 --resolution "在收款行查到，已入账"
CS20260930-0001 已解决，2026-10-19 回访（状态：已解决）
$ crm --lang zh tickets revisit CS20260930-0001 --satisfaction 5 --comment "满意"
CS20260930-0001 已回访，满意度 5（状态：已解决）
$ crm --lang zh tickets close CS20260930-0001
CS20260930-0001 已关闭（状态：已关闭）
$ crm --lang zh tickets close CS20260930-0001
[stderr]
错误 E4108: 工单 CS20260930-0001 当前为“已关闭”，不能关闭（只能从 已解决 状态）
  已关闭的工单只能用 "crm tickets reopen N --reason …" 重开
[exit 5]
$ crm --lang zh tickets show CS20260930-0001
工单号    CS20260930-0001
客户      110101001 东城区财政局第一处
联系人    -
订单      -
类型      投诉
优先级    高
渠道      电话
标题      划款延迟
状态      已关闭
处理人    bob
受理时间  2026-09-30 16:00
响应时限  2026-10-08 11:00 (超时)
解决时限  2026-10-15 17:00 (达标)
解决办法  在收款行查到，已入账
改进措施  -
回访日    2026-10-19
满意度    5
处理记录：
  2026-09-30 16:00  admin  受理  9月29日的划款未到账
  2026-10-08 12:05  admin  升级  响应超时，升级至 carol
  2026-10-08 12:05  bob  响应  已致电客户，正在与银行核对
  2026-10-08 12:05  bob  记录  已调取银行流水
  2026-10-09 10:00  bob  解决  10月9日重新划款
  2026-10-14 10:00  admin  回访  满意度 2: 仍未到账
  2026-10-14 10:00  admin  重开  回访满意度 2 ≤ 2: 仍未到账
  2026-10-14 10:00  bob  解决  在收款行查到，已入账
  2026-10-14 10:00  admin  回访  满意度 5: 满意
  2026-10-14 10:00  admin  关闭
$ crm --lang zh tickets show CS20260930-0001 --json
{"number":"CS20260930-0001","customer":"110101001","customerName":"东城区财政局第一处","contact":null,"order":null,"kind":"complaint","priority":"high","channel":"phone","title":"划款延迟","content":"9月29日的划款未到账","status":"closed","handler":"bob","receivedAt":"2026-09-30T08:00:00.000Z","responseDue":"2026-10-08T03:00:00.000Z","resolveDue":"2026-10-15T09:00:00.000Z","respondedAt":"2026-10-08T04:05:00.000Z","resolvedAt":"2026-10-14T02:00:00.000Z","closedAt":"2026-10-14T02:00:00.000Z","responseMet":false,"resolveMet":true,"breached":true,"resolution":"在收款行查到，已入账","measures":null,"revisitDue":"2026-10-19","revisitedAt":"2026-10-14T02:00:00.000Z","satisfaction":5,"escalations":[{"at":"2026-10-08T04:05:00.000Z","to":"carol","kind":"response","dueAt":"2026-10-08T03:00:00.000Z"}],"history":[{"at":"2026-09-30T08:00:00.000Z","user":"admin","step":"received","content":"9月29日的划款未到账","detail":{"kind":"complaint","priority":"high","channel":"phone","title":"划款延迟"}},{"at":"2026-10-08T04:05:00.000Z","user":"admin","step":"escalated","content":"carol","detail":{"kind":"response","dueAt":"2026-10-08T03:00:00.000Z","to":"carol"}},{"at":"2026-10-08T04:05:00.000Z","user":"bob","step":"responded","content":"已致电客户，正在与银行核对","detail":null},{"at":"2026-10-08T04:05:00.000Z","user":"bob","step":"noted","content":"已调取银行流水","detail":null},{"at":"2026-10-09T02:00:00.000Z","user":"bob","step":"resolved","content":"10月9日重新划款","detail":{"measures":"截止前复核当日清单","revisitDue":"2026-10-13"}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"revisited","content":"仍未到账","detail":{"satisfaction":2,"reopened":true}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"reopened","content":"仍未到账","detail":{"satisfaction":2,"reopenAtOrBelow":2,"byRevisit":true}},{"at":"2026-10-14T02:00:00.000Z","user":"bob","step":"resolved","content":"在收款行查到，已入账","detail":{"measures":null,"revisitDue":"2026-10-19"}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"revisited","content":"满意","detail":{"satisfaction":5,"reopened":false}},{"at":"2026-10-14T02:00:00.000Z","user":"admin","step":"closed","content":null,"detail":null}]}
$ crm --lang zh customers show 110101001
编码      110101001
名称      东城区财政局第一处
上级      -
一级单位  110101001
负责人    bob
等级      -
状态      正常
行业      -
地区      -
地址      -
电话      -
邮箱      -
来源      -
最近跟进  -
建档时间  2026-09-30 16:00:00
更新时间  2026-09-30 16:00:00
备注      -
  订单: 0
  服务：工单 1（未结 0），投诉 1（未结 0），回访满意度 3.50，最近调查 -
