import { describe, expect, it } from 'vitest';
import { applicableSteps, DEFAULT_FLOWS, parseStep, stepText } from '../../src/domain/approvals/flows.js';
import { meanDays } from '../../src/reports/approvals.js';
import { expectedDeciders, mayDecideOwn, People } from '../../src/services/approvals/engine.js';

describe('approval flows (pure)', () => {
  it('parses the step language and writes it back the same way', () => {
    expect(parseStep('manager')).toEqual({ approver: { kind: 'manager', levels: 0 } });
    expect(parseStep(' manager+2 ')).toEqual({ approver: { kind: 'manager', levels: 2 } });
    expect(parseStep('executive>5,000')).toEqual({ approver: { kind: 'role', role: 'executive' }, aboveFen: 500_000 });
    expect(parseStep('user:张三>0.01')).toEqual({ approver: { kind: 'user', name: '张三' }, aboveFen: 1 });
    for (const text of ['manager', 'manager+1', 'admin', 'executive>5000.00', 'user:alice>10.50']) {
      expect(stepText(parseStep(text))).toBe(text);
    }
    for (const bad of ['boss', 'manager+', 'executive>', 'executive>1>2', 'executive>abc', 'user:', 'sales']) {
      expect(() => parseStep(bad), bad).toThrow(expect.objectContaining({ code: 'E4220' }));
    }
  });

  it('a step with a threshold applies strictly above it; no amount, no threshold step', () => {
    const expense = DEFAULT_FLOWS.expense;
    expect(applicableSteps(expense, 500_000)).toHaveLength(1);
    expect(applicableSteps(expense, 500_001)).toHaveLength(2);
    expect(applicableSteps(expense, null)).toHaveLength(1);
  });

  it('who a step waits for, and who may decide it, along the reporting line', () => {
    // 1 ceo (executive) ← 2 vp (manager) ← 3 lead (manager) ← 4 rep (sales); 5 admin; 6 other (executive)
    const people = new People([
      { id: 1, name: 'ceo', role: 'executive', supervisor_id: null, status: 'active' },
      { id: 2, name: 'vp', role: 'manager', supervisor_id: 1, status: 'active' },
      { id: 3, name: 'lead', role: 'manager', supervisor_id: 2, status: 'active' },
      { id: 4, name: 'rep', role: 'sales', supervisor_id: 3, status: 'active' },
      { id: 5, name: 'root', role: 'admin', supervisor_id: null, status: 'active' },
      { id: 6, name: 'cfo', role: 'executive', supervisor_id: null, status: 'disabled' },
    ]);
    const open = (step: string, escalatedLevels = 0) => ({ requesterId: 4, step: parseStep(step), escalatedLevels });
    expect(expectedDeciders(people, open('manager'))).toEqual([3]);
    expect(expectedDeciders(people, open('manager', 1))).toEqual([2]);
    expect(expectedDeciders(people, open('manager+1'))).toEqual([2]);
    expect(expectedDeciders(people, open('manager+5'))).toEqual([1]); // the top of a shorter line
    expect(expectedDeciders(people, open('executive'))).toEqual([1]); // the disabled one is left out
    expect(expectedDeciders(people, open('user:lead', 1))).toEqual([3, 2]);
    expect([1, 2, 3, 4, 5, 6].filter((id) => mayDecideOwn(people, open('manager'), id))).toEqual([1, 2, 3, 5]);
    expect([1, 2, 3, 4, 5, 6].filter((id) => mayDecideOwn(people, open('manager+1'), id))).toEqual([1, 2, 5]);
    expect(expectedDeciders(people, { requesterId: 1, step: parseStep('manager'), escalatedLevels: 0 })).toEqual([5]);
  });

  it('means of working days keep two decimals', () => {
    expect(meanDays(4, 3)).toBe('1.33');
    expect(meanDays(5, 3)).toBe('1.67');
    expect(meanDays(0, 2)).toBe('0.00');
    expect(meanDays(0, 0)).toBe('');
  });
});
