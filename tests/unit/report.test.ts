import Papa from 'papaparse';
import type { Statement } from '@xapi/xapi';
import { describe, expect, it } from 'vitest';
import { ReportBuilder, actorKey } from '../../src/lib/report/aggregate.ts';
import type { Catalogue } from '../../src/lib/report/catalogue.ts';
import { groupsCsv, toCsv } from '../../src/lib/report/csv.ts';
import { lessonCompleted, moduleCompleted, questionAnswered, quizScored, type EventContext } from '../../src/lib/xapi/statements.ts';
import { quizSchema } from '../../src/schemas/quiz.ts';
import { readYaml } from '../helpers/frontmatter.ts';
import type { Language } from '../../src/i18n/languages.ts';

const quiz = quizSchema.parse(readYaml(new URL('../fixtures/valid/quiz.yaml', import.meta.url).pathname));
const names = (en: string) => ({ en, fr: en, es: en });
const module = { id: 'https://w3id.org/dce-training/modules/m1', name: names('Understanding the Convention') };
const lesson = { id: `${module.id}/lessons/l1`, name: names('Lesson 1') };
const quizRef = { quiz: { id: 'https://w3id.org/dce-training/quizzes/q', name: names('Quiz') }, module, lesson };
let n = 0;
function ctx(who: string, language: Language, workshop?: { cohort: string; country: string }): EventContext {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    timestamp: `2026-11-${String(10 + (n % 10)).padStart(2, '0')}T10:00:00.000Z`,
    actor: { objectType: 'Agent', name: who, mbox: `mailto:${who.toLowerCase()}@example.org` },
    registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
    language,
    workshop,
  };
}
const dakar = { cohort: 'Dakar 2027', country: 'SN' };
/** The site's catalogue for these fixtures: names never come from the statements. */
const catalogue: Catalogue = {
  lang: 'en',
  names: { [module.id]: 'Understanding the Convention', [`${quizRef.quiz.id}/questions/q1`]: 'Pick b' },
  modules: [module.id],
  quizzes: { [quizRef.quiz.id]: { module: module.id, kind: 'knowledge-check' } },
};
/** A builder fed the sample, its module completion counted as verified (signature checks: report-trust.test.ts). */
function built(filter: ConstructorParameters<typeof ReportBuilder>[0] = {}, statements = sample()): ReportBuilder {
  const b = new ReportBuilder(filter, { catalogue });
  statements.forEach((s) => b.add(s, s.verb.id.endsWith('/completed') ? 'verified' : undefined));
  return b;
}

function sample(): Statement[] {
  return [
    questionAnswered(ctx('Awa', 'fr', dakar), quizRef, 'q', quiz.questions[0]!, ['a']),
    questionAnswered(ctx('Awa', 'fr', dakar), quizRef, 'q', quiz.questions[0]!, ['b']),
    questionAnswered(ctx('Binta', 'fr', dakar), quizRef, 'q', quiz.questions[0]!, ['a']),
    quizScored(ctx('Awa', 'fr', dakar), quizRef, { raw: 1, max: 3, passMark: 0.8, durationMs: 1 }),
    quizScored(ctx('Awa', 'fr', dakar), quizRef, { raw: 3, max: 3, passMark: 0.8, durationMs: 1 }),
    lessonCompleted(ctx('Awa', 'fr', dakar), { module, lesson }),
    moduleCompleted(ctx('Awa', 'fr', dakar), module),
    quizScored(ctx('Binta', 'fr', dakar), quizRef, { raw: 2, max: 3, passMark: 0.8, durationMs: 1 }),
    quizScored(ctx('Carlos', 'es'), quizRef, { raw: 3, max: 3, passMark: 0.8, durationMs: 1 }),
  ];
}

describe('completion report', () => {
  it('counts learners, completions, passes, pass rates and average scores per module, language, cohort and country', () => {
    const r = built().result();
    expect(r.statements).toBe(9);
    expect(r.groups).toEqual([
      {
        module: module.id,
        moduleName: 'Understanding the Convention',
        language: 'es',
        cohort: '',
        country: '',
        learners: 1,
        completed: 0,
        completedSelfReported: 0,
        attempts: 1,
        passed: 1,
        passRate: 1,
        averageScaled: 1,
        certificates: 0,
      },
      {
        module: module.id,
        moduleName: 'Understanding the Convention',
        language: 'fr',
        cohort: 'Dakar 2027',
        country: 'SN',
        learners: 2,
        completed: 1,
        completedSelfReported: 0,
        attempts: 3,
        passed: 1,
        passRate: 1 / 3,
        averageScaled: expect.closeTo((0.3333 + 1 + 0.6667) / 3, 4),
        certificates: 0,
      },
    ]);
    expect(r.learners.find((l) => l.name === 'Awa')).toMatchObject({
      status: 'completed',
      verification: 'verified',
      attempts: 2,
      passed: 1,
    });
    expect(r.learners.find((l) => l.name === 'Binta')).toMatchObject({ status: 'in progress', attempts: 1, passed: 0 });
    expect(r.timeline).toHaveLength(1);
  });

  it('reports per question the share correct and the most chosen wrong option', () => {
    expect(built().result().questions).toEqual([
      {
        question: 'https://w3id.org/dce-training/quizzes/q/questions/q1',
        name: 'Pick b',
        answered: 3,
        correctShare: 1 / 3,
        commonWrongResponse: 'a',
        commonWrongCount: 2,
      },
    ]);
  });

  it('leaves out a voided statement and statements outside the filter', () => {
    const statements = sample();
    const completion = statements[6]!;
    const voiding = {
      id: '11111111-1111-4111-8111-111111111111',
      actor: completion.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: completion.id },
    } as Statement;
    const r = built({ language: 'fr' }, [voiding, ...statements]).result();
    expect(r.groups.map((g) => g.language)).toEqual(['fr']);
    expect(r.groups[0]!.completed).toBe(0);
  });

  it('accepts statements with missing optional fields', () => {
    const bare = {
      actor: { objectType: 'Agent', account: { homePage: 'http://x', name: 'anon' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      object: { id: quizRef.quiz.id, definition: { type: 'http://adlnet.gov/expapi/activities/assessment' } },
      context: { contextActivities: { grouping: [{ id: module.id, definition: { type: 'http://adlnet.gov/expapi/activities/module' } }] } },
    } as unknown as Statement;
    const b = new ReportBuilder();
    b.add(bare);
    expect(b.result().groups[0]).toMatchObject({
      language: '',
      cohort: '',
      country: '',
      attempts: 1,
      passed: 1,
      averageScaled: 0,
      moduleName: module.id,
    });
    expect(actorKey(bare.actor)).toBe('account:http://x|anon');
  });
});

describe('CSV export', () => {
  it('keeps accents, starts with a byte order mark, and defuses formulas', () => {
    const csv = toCsv([{ name: 'Amélie Dürr', note: '=HYPERLINK("x")' }], ['name', 'note']);
    expect(csv.startsWith('\uFEFFname,note\r\n')).toBe(true);
    expect(csv).toContain('Amélie Dürr');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
  it('neutralises cells led by =, +, -, @, TAB or CR, line breaks included, and leaves numbers alone', () => {
    const hostile = ['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=cmd', '\r=cmd', '=cmd|"/c calc"!A1\nsecond line'];
    const csv = toCsv(
      hostile.map((note, index) => ({ note, n: -index })),
      ['note', 'n'],
    );
    const cells = Papa.parse<string[]>(csv.slice(1), { newline: '\r\n', skipEmptyLines: true }).data.slice(1);
    expect(cells.map(([note]) => note)).toEqual(hostile.map((note) => `'${note}`));
    expect(cells.map(([, n]) => n)).toEqual(hostile.map((_, index) => String(-index)));
    expect(toCsv([{ note: 'a = b', other: 'x-y' }], ['note', 'other'])).toContain('a = b,x-y\r\n');
  });
  it('exports the groups view with pass rates in percent', () => {
    expect(groupsCsv(built().result().groups).split('\r\n')[2]).toBe(
      'Understanding the Convention,https://w3id.org/dce-training/modules/m1,fr,Dakar 2027,SN,2,1,0,3,1,33.3,0.667',
    );
  });
});
