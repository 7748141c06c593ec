import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages } from '../../src/i18n/languages.ts';
import { lessonSchema, type LessonData } from '../../src/schemas/lesson.ts';
import { moduleSchema, moduleSlugs } from '../../src/schemas/module.ts';
import { quizSchema, type QuizData } from '../../src/schemas/quiz.ts';
import { readFrontmatter, readYaml } from '../helpers/frontmatter.ts';

// The shipped curriculum, checked as a whole: parity across languages, lesson structure, and
// quizzes that exist and are long enough (docs/authoring.md, "Add a lesson": structure is checked by a test, not in review).

// CONTENT_DIR, as in src/content.config.ts, checks another content tree (e.g. a snapshot).
const root = process.env['CONTENT_DIR']
  ? `${process.env['CONTENT_DIR'].replace(/\/$/, '')}/`
  : new URL('../../content/', import.meta.url).pathname;
const walk = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]))
    : [];
const filesOf = (lang: string) =>
  walk(join(root, lang))
    .map((f) => relative(join(root, lang), f))
    .sort();
const quizzes = new Map<string, QuizData>(
  walk(join(root, 'quizzes')).map((f) => [
    f
      .split('/')
      .at(-1)!
      .replace(/\.yaml$/, ''),
    quizSchema.parse(readYaml(f)),
  ]),
);
const lessonFiles = filesOf('en').filter((f) => f.startsWith('lessons/'));

describe('every page exists in every language', () => {
  it.each(['fr', 'es'])('%s has exactly the files of en', (lang) => {
    expect(filesOf(lang)).toEqual(filesOf('en'));
  });
  it('has all six module overviews', () => {
    expect(filesOf('en').filter((f) => f.startsWith('modules/'))).toEqual(moduleSlugs.map((m) => `modules/${m}.md`).sort());
  });
});

describe('module overviews', () => {
  it.each(moduleSlugs)('%s agrees across languages on number, days and assessment', (slug) => {
    const [en, ...others] = languages.map((l) => moduleSchema.parse(readFrontmatter(join(root, l, 'modules', `${slug}.md`)).data));
    for (const o of others) {
      expect(o.module).toBe(slug);
      expect([o.number, o.format.days, o.assessment, o.pretest]).toEqual([en!.number, en!.format.days, en!.assessment, en!.pretest]);
    }
    if (en!.pretest) {
      const quiz = quizzes.get(en!.pretest);
      expect(quiz?.kind, `${en!.pretest} is a pre-test`).toBe('pre-test');
      expect(quiz!.module).toBe(slug);
      expect(quiz!.questions.length).toBeGreaterThanOrEqual(8);
    }
    if (en!.assessment) {
      const quiz = quizzes.get(en!.assessment);
      expect(quiz?.kind, `${en!.assessment} is a final assessment`).toBe('final-assessment');
      expect(quiz!.questions.length).toBeGreaterThanOrEqual(10);
    }
  });
});

describe.each(lessonFiles)('lesson %s', (file) => {
  const read = (lang: string) => {
    const { data, body } = readFrontmatter(join(root, lang, file));
    return { data: lessonSchema.parse(data), body };
  };
  const versions = languages.map(read);
  const en = versions[0]!;

  it('has sections, exactly one exercise and facilitator guidance in every language', () => {
    languages.forEach((lang, i) => {
      const { body } = versions[i]!;
      expect(body.match(/^## /gm)?.length ?? 0, `${lang} sections`).toBeGreaterThanOrEqual(2);
      expect(body.match(/<Exercise\b/g)?.length ?? 0, `${lang} exercises`).toBe(1);
      expect(body.match(/<FacilitatorNote\b/g)?.length ?? 0, `${lang} facilitator notes`).toBeGreaterThanOrEqual(1);
    });
  });

  it('has the same module, order, duration and quiz in every language', () => {
    const key = (d: LessonData) => [d.module, d.order, d.duration, d.quiz, d.objectives.length, d.keyPoints.length];
    for (const v of versions) expect(key(v.data)).toEqual(key(en.data));
    expect(file.startsWith(`lessons/${en.data.module}/`)).toBe(true);
  });

  it('embeds a knowledge check of at least five questions, with single choice, multiple response and true/false', () => {
    const quiz = quizzes.get(en.data.quiz);
    expect(quiz, `content/quizzes/${en.data.quiz}.yaml`).toBeDefined();
    expect(quiz!.kind).toBe('knowledge-check');
    expect(quiz!.module).toBe(en.data.module);
    expect(quiz!.questions.length).toBeGreaterThanOrEqual(5);
    const types = new Set(quiz!.questions.map((q) => q.type));
    for (const type of ['single-choice', 'multiple-response', 'true-false'] as const)
      expect(types.has(type), `${en.data.quiz} has a ${type} question`).toBe(true);
  });
});

describe('quizzes', () => {
  it('are each used by a lesson or a module', () => {
    const used = new Set([
      ...lessonFiles.map((f) => lessonSchema.parse(readFrontmatter(join(root, 'en', f)).data).quiz),
      ...moduleSlugs.map((m) => moduleSchema.parse(readFrontmatter(join(root, 'en', 'modules', `${m}.md`)).data).assessment),
      ...moduleSlugs.map((m) => moduleSchema.parse(readFrontmatter(join(root, 'en', 'modules', `${m}.md`)).data).pretest),
    ]);
    for (const id of quizzes.keys()) expect(used.has(id), `${id} is used`).toBe(true);
  });
});
