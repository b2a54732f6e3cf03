import { describe, expect, it } from 'vitest';
import { classifyAsOf, deriveFacts } from './status.ts';
describe('smoke', () => {
  it('classifies', () => {
    const f = deriveFacts({ assignedOn: '2026-01-01', deadline: '2026-01-31', leadAgencyId: 1 }, []);
    expect(classifyAsOf(f, '2026-02-01').category).toBe('overdue');
  });
});
