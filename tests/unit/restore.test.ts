import type { Statement } from '@xapi/xapi';
import { describe, expect, it } from 'vitest';
import { lessonCompleted, lessonExperienced, moduleCompleted, quizScored, type EventContext } from '../../src/lib/xapi/statements.ts';
import { lessonId, moduleId, quizId } from '../../src/lib/xapi/activities.ts';
import { restoreProgress } from '../../src/lib/xapi/restore.ts';
import { mergeProgress } from '../../src/lib/xapi/progress.ts';

// Continue on another device: the progress a learner's own statements give back.

const own = 'ec531277-b57b-4c15-8d91-d292c5b2b8f7';
const workshop = '5b0c8f7e-2d4a-4c1b-9e6f-3a2b1c0d9e8f';
const name = { en: 'x', fr: 'x', es: 'x' };
const m1 = { id: moduleId('understanding-the-convention'), name };
const l1 = { id: lessonId('understanding-the-convention', 'objectives-and-principles'), name };
const l2 = { id: lessonId('understanding-the-convention', 'key-definitions'), name };
let n = 0;
const ctx = (registration: string, at: string, cohort?: { cohort: string; country: string }): EventContext => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  timestamp: at,
  actor: { objectType: 'Agent', account: { homePage: 'http://127.0.0.1:4321', name: 'a1' } },
  registration,
  language: 'en',
  workshop: cohort,
});
const origin = 'http://127.0.0.1:4321';
/** As the LRS returns a statement the site's grader wrote (src/lrs: authority of server-graded statements). */
const byGrader = (s: Statement): Statement => ({
  ...s,
  authority: { objectType: 'Agent', name: 'Site grader', account: { homePage: origin, name: 'site-grader' } },
});
const scored = (c: EventContext, quiz: string, lesson?: typeof l1) =>
  quizScored(
    c,
    { quiz: { id: quizId(quiz), name }, module: m1, ...(lesson ? { lesson } : {}) },
    { raw: 5, max: 5, passMark: 0.8, durationMs: 1000 },
  );

describe('restoreProgress', () => {
  it('gives back completed lessons, final assessments the server passed and modules it completed, per registration', () => {
    const statements: Statement[] = [
      lessonExperienced(ctx(own, '2026-11-01T10:00:00Z'), { module: m1, lesson: l1 }),
      lessonCompleted(ctx(own, '2026-11-01T10:05:00Z'), { module: m1, lesson: l1 }),
      scored(ctx(own, '2026-11-01T10:05:00Z'), 'm1-l1-objectives-principles', l1),
      lessonCompleted(ctx(workshop, '2026-11-02T10:05:00Z', { cohort: 'Dakar 2027', country: 'SN' }), { module: m1, lesson: l2 }),
      byGrader(scored(ctx(workshop, '2026-11-02T11:00:00Z', { cohort: 'Dakar 2027', country: 'SN' }), 'm1-final-assessment')),
      byGrader(moduleCompleted(ctx(workshop, '2026-11-02T11:00:01Z', { cohort: 'Dakar 2027', country: 'SN' }), m1)),
    ];
    const restored = restoreProgress(statements, ['m1-final-assessment'], origin);
    expect(restored.progress).toEqual({
      [own]: { lessonsCompleted: [l1.id], assessmentsPassed: [], modulesCompleted: [] },
      [workshop]: { lessonsCompleted: [l2.id], assessmentsPassed: ['m1-final-assessment'], modulesCompleted: [m1.id] },
    });
    // The learner's own registration, and the workshop of their latest statement.
    expect(restored.ownRegistration).toBe(own);
    expect(restored.workshop).toEqual({ registration: workshop, cohort: 'Dakar 2027', country: 'SN' });
  });

  it('counts a knowledge check only through its lesson, a failed attempt not at all, and takes no workshop from a learner who joined none', () => {
    const failed = quizScored(
      ctx(own, '2026-11-01T10:00:00Z'),
      { quiz: { id: quizId('m1-final-assessment'), name }, module: m1 },
      { raw: 1, max: 5, passMark: 0.8, durationMs: 1 },
    );
    const restored = restoreProgress(
      [failed, scored(ctx(own, '2026-11-01T10:01:00Z'), 'm1-l1-objectives-principles', l1)],
      ['m1-final-assessment'],
      origin,
    );
    expect(restored.progress[own]).toEqual({ lessonsCompleted: [], assessmentsPassed: [], modulesCompleted: [] });
    expect(restored).not.toHaveProperty('workshop');
    expect(restoreProgress([], [], origin)).toEqual({ progress: {} });
  });

  it('counts a final assessment passed or a module completed only when the site grader wrote it', () => {
    const selfReported = [
      scored(ctx(own, '2026-11-01T10:00:00Z'), 'm1-final-assessment'),
      moduleCompleted(ctx(own, '2026-11-01T10:00:01Z'), m1),
    ].map((s) => ({ ...s, authority: s.actor }));
    const otherSite = byGrader(scored(ctx(own, '2026-11-01T10:00:02Z'), 'm1-final-assessment'));
    (otherSite.authority as { account: { homePage: string } }).account.homePage = 'https://elsewhere.example';
    expect(restoreProgress([...selfReported, otherSite], ['m1-final-assessment'], origin).progress[own]).toEqual({
      lessonsCompleted: [],
      assessmentsPassed: [],
      modulesCompleted: [],
    });
  });

  it('joins what a device had with what the LRS gave, each item once', () => {
    const a = { lessonsCompleted: ['l1'], assessmentsPassed: [], modulesCompleted: [] };
    const b = { lessonsCompleted: ['l1', 'l2'], assessmentsPassed: ['f'], modulesCompleted: [] };
    expect(mergeProgress(a, b)).toEqual({ lessonsCompleted: ['l1', 'l2'], assessmentsPassed: ['f'], modulesCompleted: [] });
  });
});
