/** Words for the approvals' coded values (tables and messages); JSON, TSV and flags keep the codes. */
import { m } from '../i18n.js';
import type { Vocabulary } from '../vocabulary.js';

export const APPROVAL_TYPE: Vocabulary = {
  order: m('订单', 'order'),
  expense: m('差旅报销', 'expense'),
  travel: m('出差', 'travel'),
  leave: m('请假', 'leave'),
  overtime: m('加班', 'overtime'),
  loan: m('借款', 'loan'),
  general: m('普通审批', 'general'),
  reception: m('客户招待', 'reception'),
  gift: m('礼品馈赠', 'gift'),
  visit: m('拜访申请', 'visit'),
};

export const APPROVAL_STATUS: Vocabulary = {
  pending: m('审批中', 'pending'),
  approved: m('已通过', 'approved'),
  rejected: m('已驳回', 'rejected'),
  withdrawn: m('已撤回', 'withdrawn'),
};

export const STEP_STATUS: Vocabulary = {
  pending: m('待审批', 'pending'),
  waiting: m('未开始', 'waiting'),
  approved: m('已同意', 'approved'),
  rejected: m('已驳回', 'rejected'),
  skipped: m('未进行', 'not reached'),
};

export const DECISION: Vocabulary = {
  approved: m('同意', 'approved'),
  rejected: m('驳回', 'rejected'),
};
