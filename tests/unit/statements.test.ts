import { describe, expect, it } from 'vitest';
import { readYaml } from '../helpers/frontmatter.ts';
import { quizSchema } from '../../src/schemas/quiz.ts';
import { courseId, lessonId, moduleId, questionId, quizId } from '../../src/lib/xapi/activities.ts';
import {
  isoDuration,
  lessonCompleted,
  lessonExperienced,
  moduleCompleted,
  questionAnswered,
  quizScored,
  responsePattern,
  type EventContext,
} from '../../src/lib/xapi/statements.ts';

const quiz = quizSchema.parse(readYaml(new URL('../fixtures/valid/quiz.yaml', import.meta.url).pathname));
const [single, multiple, trueFalse] = quiz.questions as [
  (typeof quiz.questions)[0],
  (typeof quiz.questions)[0],
  (typeof quiz.questions)[0],
];
const ctx: EventContext = {
  id: '6fa459ea-ee8a-4ca4-894e-db77e160355e',
  timestamp: '2026-11-23T10:00:00.000Z',
  actor: { objectType: 'Agent', name: 'Amina', mbox: 'mailto:amina@example.org' },
  registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
  language: 'fr',
};
const names = (en: string) => ({ en, fr: `${en} (fr)`, es: `${en} (es)` });
const module = { id: moduleId('understanding-the-convention'), name: names('Understanding the Convention') };
const lesson = { id: lessonId('understanding-the-convention', 'key-definitions'), name: names('Key definitions') };
const quizRef = { quiz: { id: quizId('fixture-quiz'), name: quiz.title }, module, lesson };
const course = {
  objectType: 'Activity',
  id: courseId(),
  definition: {
    type: 'http://adlnet.gov/expapi/activities/course',
    name: expect.objectContaining({ en: expect.any(String), fr: expect.any(String), es: expect.any(String) }),
  },
};
const moduleActivity = {
  objectType: 'Activity',
  id: module.id,
  definition: { type: 'http://adlnet.gov/expapi/activities/module', name: module.name },
};
const lessonActivity = {
  objectType: 'Activity',
  id: lesson.id,
  definition: { type: 'http://adlnet.gov/expapi/activities/lesson', name: lesson.name },
};
const quizActivity = {
  objectType: 'Activity',
  id: quizRef.quiz.id,
  definition: { type: 'http://adlnet.gov/expapi/activities/assessment', name: quiz.title },
};

describe('activity ids', () => {
  it('do not depend on the language', () => {
    expect(lessonId('understanding-the-convention', 'key-definitions')).toBe(
      `${moduleId('understanding-the-convention')}/lessons/key-definitions`,
    );
    expect(lessonId('m', 'l')).not.toMatch(/\/(en|fr|es)\//);
    expect(questionId('q', '1')).toBe(`${quizId('q')}/questions/1`);
  });
});

describe('statement builders', () => {
  it('"experienced" a lesson, with the module as parent and the course as grouping', () => {
    expect(lessonExperienced(ctx, { module, lesson })).toEqual({
      id: ctx.id,
      timestamp: ctx.timestamp,
      actor: ctx.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
      object: lessonActivity,
      context: { registration: ctx.registration, language: 'fr', contextActivities: { parent: [moduleActivity], grouping: [course] } },
    });
  });

  it('"answered" a single-choice question as a cmi.interaction with choices in three languages', () => {
    const s = questionAnswered(ctx, quizRef, 'fixture-quiz', single, ['b']);
    expect(s).toEqual({
      id: ctx.id,
      timestamp: ctx.timestamp,
      actor: ctx.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
      object: {
        objectType: 'Activity',
        id: questionId('fixture-quiz', 'q1'),
        definition: {
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          name: { en: 'Pick b', fr: 'Choisissez b', es: 'Elija b' },
          description: { en: 'Pick b', fr: 'Choisissez b', es: 'Elija b' },
          interactionType: 'choice',
          correctResponsesPattern: ['b'],
          choices: [
            { id: 'a', description: { en: 'A', fr: 'A', es: 'A' } },
            { id: 'b', description: { en: 'B', fr: 'B', es: 'B' } },
          ],
        },
      },
      result: { response: 'b', success: true },
      context: {
        registration: ctx.registration,
        language: 'fr',
        contextActivities: { parent: [quizActivity], grouping: [lessonActivity, moduleActivity, course] },
      },
    });
  });

  it('records multiple responses in option order joined by [,], and fails a partial answer', () => {
    expect(responsePattern(multiple, ['c', 'a'])).toBe('a[,]c');
    const partial = questionAnswered(ctx, quizRef, 'fixture-quiz', multiple, ['a']);
    expect(partial.result).toEqual({ response: 'a', success: false });
    expect((partial.object as { definition: { correctResponsesPattern: string[] } }).definition.correctResponsesPattern).toEqual(['a[,]c']);
  });

  it('records true/false questions with interactionType true-false', () => {
    const s = questionAnswered(ctx, quizRef, 'fixture-quiz', trueFalse, false);
    expect(s.result).toEqual({ response: 'false', success: true });
    expect((s.object as { definition: object }).definition).toMatchObject({
      interactionType: 'true-false',
      correctResponsesPattern: ['false'],
    });
  });

  it('"passed" at or above the pass mark, with scaled, raw, min, max and duration', () => {
    expect(quizScored(ctx, quizRef, { raw: 4, max: 5, passMark: 0.8, durationMs: 83_500 })).toEqual({
      id: ctx.id,
      timestamp: ctx.timestamp,
      actor: ctx.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
      object: quizActivity,
      result: { score: { scaled: 0.8, raw: 4, min: 0, max: 5 }, success: true, completion: true, duration: 'PT1M23.5S' },
      context: {
        registration: ctx.registration,
        language: 'fr',
        contextActivities: { parent: [lessonActivity], grouping: [moduleActivity, course] },
      },
    });
  });

  it('"failed" below the pass mark; a final assessment sits under the module', () => {
    const s = quizScored(ctx, { quiz: quizRef.quiz, module }, { raw: 2, max: 3, passMark: 0.8, durationMs: 1000 });
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/failed');
    expect(s.result?.score).toEqual({ scaled: 0.6667, raw: 2, min: 0, max: 3 });
    expect(s.context?.contextActivities).toEqual({ parent: [moduleActivity], grouping: [course] });
  });

  it('refuses an impossible score', () => {
    expect(() => quizScored(ctx, quizRef, { raw: 6, max: 5, passMark: 0.8, durationMs: 0 })).toThrow(RangeError);
  });

  it('"completed" a lesson and a module', () => {
    expect(lessonCompleted(ctx, { module, lesson })).toMatchObject({
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: lessonActivity,
      result: { completion: true },
    });
    expect(moduleCompleted(ctx, module)).toEqual({
      id: ctx.id,
      timestamp: ctx.timestamp,
      actor: ctx.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
      object: moduleActivity,
      result: { completion: true, success: true },
      context: { registration: ctx.registration, language: 'fr', contextActivities: { parent: [course] } },
    });
  });
});

describe('isoDuration', () => {
  it('formats milliseconds as ISO 8601 durations', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(1500)).toBe('PT1.5S');
    expect(isoDuration(3_600_000)).toBe('PT1H');
    expect(isoDuration(3_723_450)).toBe('PT1H2M3.45S');
    expect(() => isoDuration(-1)).toThrow(RangeError);
  });
});

describe('workshop context', () => {
  it('records the cohort as context.team and the cohort and country as extensions, and the LRS accepts it', async () => {
    const { extensions } = await import('../../src/lib/xapi/statements.ts');
    const { parseStatementBody } = await import('../../src/lrs/validate.ts');
    const s = lessonExperienced({ ...ctx, workshop: { cohort: 'Dakar, mars 2027', country: 'SN' } }, { module, lesson });
    expect(s.context).toMatchObject({
      registration: ctx.registration,
      team: { objectType: 'Group', name: 'Dakar, mars 2027', account: { name: ctx.registration } },
      extensions: { [extensions.cohort]: 'Dakar, mars 2027', [extensions.country]: 'SN' },
    });
    expect(() => parseStatementBody(JSON.parse(JSON.stringify(s)))).not.toThrow();
  });
  it('adds nothing when the learner joined no workshop', () => {
    const s = lessonExperienced(ctx, { module, lesson });
    expect(s.context).not.toHaveProperty('team');
    expect(s.context).not.toHaveProperty('extensions');
  });
});

describe('attendance', () => {
  it('"attended" a workshop session: the participant, the meeting activity, the workshop context', async () => {
    const { sessionAttended } = await import('../../src/lib/xapi/statements.ts');
    const { workshopSessionId } = await import('../../src/lib/xapi/activities.ts');
    const id = workshopSessionId(ctx.registration, 2, 3);
    expect(id).toBe(`https://w3id.org/dce-training/workshops/${ctx.registration}/sessions/day-2-3`);
    const s = sessionAttended(
      { ...ctx, workshop: { cohort: 'Dakar 2027', country: 'SN' } },
      { id, title: 'Exercice : les mesures' },
      module,
    );
    expect(s).toMatchObject({
      actor: ctx.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
      object: {
        objectType: 'Activity',
        id,
        definition: { type: 'http://adlnet.gov/expapi/activities/meeting', name: { fr: 'Exercice : les mesures' } },
      },
      context: {
        registration: ctx.registration,
        contextActivities: { parent: [moduleActivity], grouping: [course] },
        team: { name: 'Dakar 2027' },
      },
    });
  });
});
