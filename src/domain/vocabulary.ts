/**
 * The words people read for the coded values the product stores (statuses, states, kinds). The codes stay what
 * scripts see (JSON, TSV, CSV, flags); tables and messages show these words in the user's language. One list per
 * coded field, because the same code can mean different things in two fields ('open' day, 'open' opportunity).
 */
import { type L10n, type Lang, m, tr } from './i18n.js';
import { ROLE_LABELS } from './roles.js';
import { KIND_LABEL } from './settlement/kind.js';

export type Vocabulary = Readonly<Record<string, L10n>>;

export const YES_NO: Vocabulary = { true: m('是', 'yes'), false: m('否', 'no') };

export const CUSTOMER_STATUS: Vocabulary = {
  active: m('正常', 'active'),
  locked: m('锁定', 'locked'),
  deleted: m('已删除', 'deleted'),
};

/** Fields of customers, contacts and leads, where a refusal names them. */
export const FIELD: Vocabulary = {
  code: m('编码', 'code'),
  name: m('名称', 'name'),
  'code/name': m('编码和名称', 'code and name'),
  contact: m('联系人', 'contact'),
  title: m('职务', 'title'),
  email: m('邮箱', 'email'),
  phone: m('电话', 'phone'),
  mobile: m('手机', 'mobile'),
  grade: m('等级', 'grade'),
  status: m('状态', 'status'),
  amount: m('金额', 'amount'),
};

/** A customer's fields, where a message names them (a merge's filled-in fields). */
export const CUSTOMER_FIELD: Vocabulary = {
  industry: m('行业', 'industry'),
  region: m('地区', 'region'),
  address: m('地址', 'address'),
  phone: m('电话', 'phone'),
  email: m('邮箱', 'email'),
  source: m('来源', 'source'),
  note: m('备注', 'note'),
};

export const USER_STATUS: Vocabulary = { active: m('启用', 'active'), disabled: m('停用', 'disabled') };

export const ROLE: Vocabulary = ROLE_LABELS;

export const LEAD_STATUS: Vocabulary = {
  new: m('新线索', 'new'),
  working: m('跟进中', 'working'),
  converted: m('已转化', 'converted'),
  disqualified: m('无效', 'disqualified'),
};

export const FOLLOWUP_METHOD: Vocabulary = {
  phone: m('电话', 'phone'),
  visit: m('拜访', 'visit'),
  email: m('邮件', 'email'),
  sms: m('短信', 'sms'),
  meeting: m('会议', 'meeting'),
};

export const ORDER_STATUS: Vocabulary = {
  draft: m('草稿', 'draft'),
  submitted: m('已提交', 'submitted'),
  approved: m('已批准', 'approved'),
  rejected: m('已驳回', 'rejected'),
  fulfilled: m('已履约', 'fulfilled'),
  closed: m('已关闭', 'closed'),
  cancelled: m('已取消', 'cancelled'),
};

export const OPPORTUNITY_STATUS: Vocabulary = {
  open: m('进行中', 'open'),
  won: m('赢单', 'won'),
  lost: m('输单', 'lost'),
};

export const INSTALMENT_STATUS: Vocabulary = {
  due: m('待收', 'due'),
  partly_paid: m('部分收款', 'partly paid'),
  paid: m('已收清', 'paid'),
  overdue: m('逾期', 'overdue'),
  void: m('作废', 'void'),
};

export const PAYMENT_METHOD: Vocabulary = {
  transfer: m('转账', 'transfer'),
  cash: m('现金', 'cash'),
  cheque: m('支票', 'cheque'),
  other: m('其他', 'other'),
};

export const JOB_STATE: Vocabulary = {
  running: m('运行中', 'running'),
  completed: m('已完成', 'completed'),
  failed: m('失败', 'failed'),
  refused: m('已拒绝', 'refused'),
  blocked: m('受阻', 'blocked'),
  planned: m('待运行', 'planned'),
  skipped: m('已跳过', 'skipped'),
};

/** A job's steps, as `jobs run` and `jobs show` list them. */
export const JOB_STEP: Vocabulary = {
  open: m('启动', 'open'),
  'previous-working-day': m('上一工作日', 'previous working day'),
  summary: m('汇总清单', 'summary'),
  classification: m('分类汇总表', 'classification'),
  cutoff: m('截止', 'cutoff'),
  clear: m('清算', 'clear'),
  'cleared-summary': m('已清算汇总清单', 'cleared summary'),
  'pending-summary': m('待清算汇总清单', 'pending summary'),
  'apply-pool-rules': m('退回公海', 'apply pool rules'),
  'mark-overdue': m('标记逾期', 'mark overdue'),
  'create-care-contacts': m('生成关怀联系', 'create care contacts'),
  escalate: m('超时升级', 'escalate'),
};

export const JOB_STEP_STATUS: Vocabulary = {
  done: m('完成', 'done'),
  resumed: m('已在上次完成', 'resumed'),
  failed: m('失败', 'failed'),
  'not-run': m('未运行', 'not run'),
};

export const JOB_TRIGGER: Vocabulary = {
  scheduler: m('调度器', 'scheduler'),
  manual: m('手工', 'manual'),
  'catch-up': m('补跑', 'catch-up'),
};

export const DAY_STATE: Vocabulary = {
  not_opened: m('未启动', 'not opened'),
  open: m('营业中', 'open'),
  cut_off: m('已截止', 'cut off'),
  cleared: m('已清算', 'cleared'),
};

export const VOUCHER_STATUS: Vocabulary = {
  unused: m('未用', 'unused'),
  used: m('已用', 'used'),
  void: m('作废', 'void'),
};

export const SETTLEMENT_KIND: Vocabulary = KIND_LABEL;

export const CLEARING_STATUS: Vocabulary = { pending: m('待清算', 'pending'), cleared: m('已清算', 'cleared') };

/** The word for a code in the user's language; an unknown code is shown as it is. */
export function wordFor(lang: Lang, vocabulary: Vocabulary, code: string): string {
  const word = vocabulary[code];
  return word ? tr(lang, word) : code;
}
