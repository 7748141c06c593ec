import { describe, expect, it } from 'vitest';
import { lrsReason, parseParticipants, workshopProblem } from '../../src/lib/trainer/workshops.ts';

describe('the trainer page: workshop form and participant list', () => {
  it('refuses an empty cohort, a country that is not two letters, and an end before the start', () => {
    const ok = { cohort: 'Dakar 2026', country: 'sn', start: '2026-03-02', end: '2026-03-06' };
    expect(workshopProblem(ok)).toBeNull();
    expect(workshopProblem({ ...ok, cohort: '' })).toBe('invalidCohort');
    expect(workshopProblem({ ...ok, country: 'SEN' })).toBe('invalidCountry');
    expect(workshopProblem({ ...ok, country: 'S1' })).toBe('invalidCountry');
    expect(workshopProblem({ ...ok, end: '2026-03-01' })).toBe('invalidDates');
    expect(workshopProblem({ ...ok, start: '', end: '2026-03-01' })).toBeNull();
  });

  it('reads one "Name <email>" a line, skipping blank lines, and names the first bad line', () => {
    expect(parseParticipants('  Awa Diop <awa@example.org>\n\nJosé Pérez<jose@example.es>  \n')).toEqual({
      participants: [
        { name: 'Awa Diop', email: 'awa@example.org' },
        { name: 'José Pérez', email: 'jose@example.es' },
      ],
    });
    expect(parseParticipants('Awa Diop <awa@example.org>\n\nno address here\nB <b@example.org>')).toEqual({ invalidLine: 2 });
    expect(parseParticipants('Awa <awa@example>')).toEqual({ invalidLine: 1 });
    expect(parseParticipants('')).toEqual({ participants: [] });
  });

  it("shows the LRS's own message from a JSON error body, else the body", () => {
    expect(lrsReason('{"error":"forbidden","message":"scope statements/write is needed"}')).toBe('scope statements/write is needed');
    expect(lrsReason('Forbidden')).toBe('Forbidden');
  });
});
