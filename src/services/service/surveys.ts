/**
 * Satisfaction surveys (满意度调查): a survey invites the customers matching the filters of `customers list`
 * (within the actor's data scope); each invited customer answers once (a second answer is refused, or replaces
 * the first with `replace`, audited). `showSurvey` gives the response rate, the average and the distribution.
 */
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseScore } from '../../domain/service/tickets.js';
import { percentBp, percentString } from '../../reports/common.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { loadCustomer } from '../customers/common.js';
import { listQuery } from '../customers/customers.js';
import { readCap, str, writeCap } from './common.js';

export interface SurveyInput {
  name: string;
  grade?: string;
  region?: string;
  industry?: string;
  owner?: string;
}

export interface SurveySummary {
  id: number;
  name: string;
  filters: Record<string, string>;
  createdAt: string;
  invited: number;
  responded: number;
  /** Percent with two decimals, e.g. "50.00". */
  responseRate: string;
  /** Average score with two decimals, or null before any response. */
  average: string | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  byGrade: { grade: string; invited: number; responded: number; average: string | null }[];
}

/** A mean of whole scores to two decimals, exactly (half up): 9/2 → "4.50", 13/3 → "4.33". */
export function meanString(sum: number, count: number): string | null {
  if (count === 0) return null;
  const hundredths = Math.floor((sum * 200 + count) / (2 * count));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

function surveyNotFound(ref: string): CrmError {
  return new CrmError('E4120', { zh: `调查不存在：${ref}`, en: `no such survey: ${ref}` }, ExitCode.noData, {
    zh: '用 "crm surveys list" 查看调查编号',
    en: 'see "crm surveys list" for survey numbers',
  });
}

async function loadSurvey(svc: ServiceContext, ref: string | number) {
  const id = Number(ref);
  const row = Number.isInteger(id) && id > 0 ? await svc.db('surveys').where({ id }).first() : undefined;
  if (!row) throw surveyNotFound(String(ref));
  return row as Record<string, unknown> & { id: number; name: string };
}

export async function addSurvey(svc: ServiceContext, input: SurveyInput): Promise<SurveySummary> {
  writeCap(svc);
  const name = input.name?.trim() ?? '';
  if (!name) {
    throw new CrmError('E4123', { zh: '调查名称不能为空', en: 'the survey name is empty' }, ExitCode.usage, {
      zh: '用 --name "名称"',
      en: 'give --name "NAME"',
    });
  }
  const filters: Record<string, string> = {};
  for (const k of ['grade', 'region', 'industry', 'owner'] as const) if (input[k]) filters[k] = String(input[k]);
  const { query } = await listQuery(svc, { ...filters });
  const customers: { id: number; grade: string | null }[] = await query
    .clearSelect()
    .clearOrder()
    .select('c.id', 'c.grade');
  if (customers.length === 0) {
    throw new CrmError(
      'E4123',
      { zh: '没有符合条件的客户，调查未创建', en: 'no customer matches the filters: the survey was not created' },
      ExitCode.noData,
      { zh: '先用 "crm customers list" 加同样的条件核对', en: 'check with "crm customers list" and the same filters' },
    );
  }
  const id = await inTransaction(svc, async (tx) => {
    const now = nowIso(tx.clock);
    const [newId] = await tx.db('surveys').insert({
      name,
      filters_json: JSON.stringify(filters),
      created_by: tx.actor.id > 0 ? tx.actor.id : null,
      created_at: now,
    });
    const sid = Number(newId);
    for (let i = 0; i < customers.length; i += 500) {
      await tx
        .db('survey_invitations')
        .insert(
          customers
            .slice(i, i + 500)
            .map((c) => ({ survey_id: sid, customer_id: c.id, grade: c.grade, invited_at: now })),
        );
    }
    await audit(tx, {
      action: 'surveys.add',
      entity: 'survey',
      entityId: sid,
      after: { name, filters, invited: customers.length },
    });
    return sid;
  });
  return showSurvey(svc, id);
}

export interface SurveyAnswer {
  customer: string;
  score: number | string;
  comment?: string;
  replace?: boolean;
}

export async function respondSurvey(svc: ServiceContext, ref: string | number, a: SurveyAnswer) {
  writeCap(svc);
  const score = parseScore(a.score);
  const comment = a.comment?.trim() || null;
  return inTransaction(svc, async (tx) => {
    const survey = await loadSurvey(tx, ref);
    // The customer must be one the actor may work on (as for customers: owner, team, or a role that sees all).
    const customer = await loadCustomer(tx, a.customer.trim(), { poolOk: true }).catch((err: unknown) => {
      if (err instanceof CrmError && err.code === 'E3110') return undefined;
      if (err instanceof CrmError && err.code === 'E3111')
        throw new CrmError('E4112', err.messages, ExitCode.permission, err.hint);
      throw err;
    });
    const invited =
      customer &&
      (await tx.db('survey_invitations').where({ survey_id: survey.id, customer_id: customer.id }).first('grade'));
    if (!invited) {
      throw new CrmError(
        'E4122',
        {
          zh: `客户 ${a.customer} 未被邀请参加调查 ${survey.id}（${survey.name}）`,
          en: `customer ${a.customer} was not invited to survey ${survey.id} (${survey.name})`,
        },
        ExitCode.usage,
        { zh: '用 "crm surveys show 编号" 查看邀请的客户数', en: 'see "crm surveys show ID"' },
      );
    }
    const existing = await tx.db('survey_responses').where({ survey_id: survey.id, customer_id: customer.id }).first();
    const now = nowIso(tx.clock);
    const row = { score, comment, user_id: tx.actor.id > 0 ? tx.actor.id : null, at: now };
    if (existing) {
      if (!a.replace) {
        throw new CrmError(
          'E4121',
          {
            zh: `客户 ${customer.code} 已回答调查 ${survey.id}（${Number(existing.score)} 分）`,
            en: `customer ${customer.code} already answered survey ${survey.id} (score ${Number(existing.score)})`,
          },
          ExitCode.conflict,
          { zh: '确需更正时加 --replace（记入审计日志）', en: 'to correct it add --replace (audited)' },
        );
      }
      await tx.db('survey_responses').where({ id: existing.id }).update(row);
      await audit(tx, {
        action: 'surveys.replace',
        entity: 'survey_response',
        entityId: `${survey.id}/${customer.code}`,
        before: { score: Number(existing.score), comment: str(existing.comment), at: String(existing.at) },
        after: { score, comment },
      });
    } else {
      await tx.db('survey_responses').insert({ survey_id: survey.id, customer_id: customer.id, ...row });
      await audit(tx, {
        action: 'surveys.respond',
        entity: 'survey_response',
        entityId: `${survey.id}/${customer.code}`,
        after: { score, comment },
      });
    }
    return { survey: Number(survey.id), customer: String(customer.code), score, comment, replaced: Boolean(existing) };
  });
}

export async function showSurvey(svc: ServiceContext, ref: string | number): Promise<SurveySummary> {
  readCap(svc);
  const survey = await loadSurvey(svc, ref);
  const invitations: { customer_id: number; grade: string | null }[] = await svc
    .db('survey_invitations')
    .where({ survey_id: survey.id })
    .select('customer_id', 'grade');
  const responses: { customer_id: number; score: number }[] = await svc
    .db('survey_responses')
    .where({ survey_id: survey.id })
    .select('customer_id', 'score');
  const gradeOf = new Map(invitations.map((i) => [Number(i.customer_id), i.grade ?? '-']));
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  const grades = new Map<string, { invited: number; responded: number; sum: number }>();
  for (const i of invitations) {
    const g = grades.get(i.grade ?? '-') ?? { invited: 0, responded: 0, sum: 0 };
    g.invited += 1;
    grades.set(i.grade ?? '-', g);
  }
  let sum = 0;
  for (const r of responses) {
    const score = Number(r.score);
    sum += score;
    distribution[String(score) as keyof typeof distribution] += 1;
    const g = grades.get(gradeOf.get(Number(r.customer_id)) ?? '-');
    if (g) {
      g.responded += 1;
      g.sum += score;
    }
  }
  return {
    id: Number(survey.id),
    name: String(survey.name),
    filters: survey.filters_json ? JSON.parse(String(survey.filters_json)) : {},
    createdAt: String(survey.created_at),
    invited: invitations.length,
    responded: responses.length,
    responseRate: percentString(percentBp(responses.length, invitations.length)),
    average: meanString(sum, responses.length),
    distribution,
    byGrade: [...grades.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([grade, g]) => ({
        grade,
        invited: g.invited,
        responded: g.responded,
        average: meanString(g.sum, g.responded),
      })),
  };
}

export async function listSurveys(svc: ServiceContext): Promise<SurveySummary[]> {
  readCap(svc);
  const rows: { id: number }[] = await svc.db('surveys').orderBy('id', 'desc').select('id');
  const out: SurveySummary[] = [];
  for (const r of rows) out.push(await showSurvey(svc, r.id));
  return out;
}
