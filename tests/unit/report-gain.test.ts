import type { Statement } from '@xapi/xapi';
import { describe, expect, it } from 'vitest';
import { ReportBuilder } from '../../src/lib/report/aggregate.ts';
import type { Catalogue } from '../../src/lib/report/catalogue.ts';
import { gainCsv } from '../../src/lib/report/csv.ts';
import { hakeGain } from '../../src/lib/report/gain.ts';
import type { Verification } from '../../src/lib/report/verify.ts';
import { preTestScored, quizScored, type EventContext } from '../../src/lib/xapi/statements.ts';

// Learning gain per cohort and module (issue 15), on fixed scores whose means and gains are
// worked out by hand in the comments: src/lib/report/gain.ts through the ReportBuilder.

const names = (en: string) => ({ en, fr: en, es: en });
const module = { id: 'https://w3id.org/dce-training/modules/m1', name: names('Understanding the Convention') };
const pre = { quiz: { id: 'https://w3id.org/dce-training/quizzes/m1-pre-test', name: names('Pre-test') }, module };
const post = { quiz: { id: 'https://w3id.org/dce-training/quizzes/m1-final-assessment', name: names('Final assessment') }, module };
const catalogue: Catalogue = {
  lang: 'en',
  names: { [module.id]: 'Understanding the Convention' },
  modules: [module.id],
  quizzes: { [pre.quiz.id]: { module: module.id, kind: 'pre-test' }, [post.quiz.id]: { module: module.id, kind: 'final-assessment' } },
};
const dakar = { cohort: 'Dakar 2027', country: 'SN' };
const lima = { cohort: 'Lima 2027', country: 'PE' };

let n = 0;
function ctx(who: string, day: number, workshop?: { cohort: string; country: string }): EventContext {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    timestamp: `2027-03-${String(day).padStart(2, '0')}T09:00:00.000Z`,
    actor: { objectType: 'Agent', name: who, mbox: `mailto:${who.toLowerCase()}@example.org` },
    registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
    language: 'fr',
    workshop,
  };
}
/** A pre-test of raw/8 on a day. */
const preTest = (who: string, day: number, raw: number, workshop?: typeof dakar) =>
  preTestScored(ctx(who, day, workshop), pre, { raw, max: 8, durationMs: 1000 });
/** A final assessment of raw/8 on a day (passed from 80%, failed below). */
const finalTest = (who: string, day: number, raw: number, workshop?: typeof dakar) =>
  quizScored(ctx(who, day, workshop), post, { raw, max: 8, passMark: 0.8, durationMs: 1000 });

function report(items: [Statement, Verification][]) {
  const b = new ReportBuilder({}, { catalogue });
  // Newest first, as statements come from an LRS: the order of the stream must not matter.
  for (const [s, v] of [...items].reverse()) b.add(s, v);
  return b.result();
}

describe('learning gain per cohort and module', () => {
  it("computes n, mean pre, mean post and Hake's gain from the first verified pre-test and the first verified final assessment after it", () => {
    const r = report([
      // Awa: a self-reported 0/8 pre-test never counts; her first verified pre-test is 2/8 = 0.25,
      // a later one (4/8) is not the first; her final assessment 6/8 = 0.75.
      [preTest('Awa', 1, 0, dakar), 'self-reported'],
      [preTest('Awa', 2, 2, dakar), 'verified'],
      [preTest('Awa', 3, 4, dakar), 'verified'],
      [finalTest('Awa', 6, 6, dakar), 'verified'],
      // Binta: a final assessment before her pre-test (7/8) does not count; pre 4/8 = 0.5; the first
      // final after it is a failed 4/8 = 0.5 (signed, so it counts), then a later 8/8.
      [finalTest('Binta', 1, 7, dakar), 'verified'],
      [preTest('Binta', 2, 4, dakar), 'verified'],
      [finalTest('Binta', 6, 4, dakar), 'verified'],
      [finalTest('Binta', 7, 8, dakar), 'verified'],
      // Carlos: a pre-test and no final assessment. Dede: a final assessment that is only self-reported.
      [preTest('Carlos', 2, 3, dakar), 'verified'],
      [preTest('Dede', 2, 1, dakar), 'verified'],
      [finalTest('Dede', 6, 7, dakar), 'self-reported'],
      // Lima: Fay falls from 4/8 = 0.5 to 2/8 = 0.25.
      [preTest('Fay', 2, 4, lima), 'verified'],
      [finalTest('Fay', 6, 2, lima), 'verified'],
      // Self-study: Eve already knew it all, 8/8 and 8/8.
      [preTest('Eve', 2, 8), 'verified'],
      [finalTest('Eve', 6, 8), 'verified'],
    ]);
    // Dakar: n = 2 (Awa, Binta); mean pre (0.25 + 0.5) / 2 = 0.375; mean post (0.75 + 0.5) / 2 = 0.625;
    // <g> = (0.625 − 0.375) / (1 − 0.375) = 0.25 / 0.625 = 0.4.
    // Lima: n = 1; <g> = (0.25 − 0.5) / (1 − 0.5) = −0.5. Self-study: mean pre 1, <g> undefined.
    expect(r.gain).toEqual([
      {
        module: module.id,
        moduleName: 'Understanding the Convention',
        cohort: '',
        country: '',
        learners: 1,
        meanPre: 1,
        meanPost: 1,
        gain: null,
      },
      {
        module: module.id,
        moduleName: 'Understanding the Convention',
        cohort: 'Dakar 2027',
        country: 'SN',
        learners: 2,
        meanPre: 0.375,
        meanPost: 0.625,
        gain: expect.closeTo(0.4, 12),
      },
      {
        module: module.id,
        moduleName: 'Understanding the Convention',
        cohort: 'Lima 2027',
        country: 'PE',
        learners: 1,
        meanPre: 0.5,
        meanPost: 0.25,
        gain: -0.5,
      },
    ]);
    expect(gainCsv(r.gain).split('\r\n').slice(0, 4)).toEqual([
      '\uFEFFmodule,module_id,cohort,country,learners_with_both,mean_pre_percent,mean_post_percent,normalized_gain',
      `Understanding the Convention,${module.id},,,1,100,100,`,
      `Understanding the Convention,${module.id},Dakar 2027,SN,2,37.5,62.5,0.4`,
      `Understanding the Convention,${module.id},Lima 2027,PE,1,50,25,-0.5`,
    ]);
  });

  it('leaves the completion figures as they were: a pre-test is neither an attempt nor a completion', () => {
    const r = report([[preTest('Awa', 2, 2, dakar), 'verified']]);
    expect(r.groups).toMatchObject([{ cohort: 'Dakar 2027', learners: 1, completed: 0, attempts: 0, passed: 0 }]);
    expect(r.gain).toEqual([]);
  });

  it("Hake's gain: the share of what could still be learned that was learned; undefined at a perfect pre-score", () => {
    expect(hakeGain(0.2, 0.6)).toBeCloseTo(0.5, 12); // (0.6 − 0.2) / 0.8
    expect(hakeGain(0.5, 0.5)).toBe(0);
    expect(hakeGain(1, 1)).toBeNull();
  });
});
