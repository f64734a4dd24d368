import { expect, it } from 'vitest';
import { CodeLines, CountSketch } from '../../src/services/customers/import.js';

it('CodeLines keeps the first line of each code, before and after reserve() and growth', () => {
  const m = new CodeLines();
  for (let i = 0; i < 3000; i++) m.set(`C${i}`, i + 2, false);
  m.reserve(50_000);
  for (let i = 0; i < 3000; i++) m.set(`C${i}`, 99_999, false); // an existing code keeps its line
  for (let i = 3000; i < 60_000; i++) m.set(`C${i}`, i + 2);
  expect(m.size).toBe(60_000);
  expect(m.get('C0')).toBe(2);
  expect(m.get('C2999')).toBe(3001);
  expect(m.get('C59999')).toBe(60_001);
  expect(m.has('C60000')).toBe(false);
  expect(m.get('c0')).toBeUndefined();
});

it('CountSketch never undercounts', () => {
  const s = new CountSketch();
  expect(s.count('甲公司')).toBe(0);
  s.add('甲公司');
  s.add('甲公司');
  expect(s.count('甲公司')).toBeGreaterThanOrEqual(2);
  expect(s.maybe('甲公司')).toBe(true);
  for (let i = 0; i < 1000; i++) s.add(`name ${i}`);
  for (let i = 0; i < 1000; i++) expect(s.maybe(`name ${i}`)).toBe(true);
});
