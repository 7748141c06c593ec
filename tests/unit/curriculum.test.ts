import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages } from '../../src/i18n/languages.ts';
import { guideSchema } from '../../src/schemas/guide.ts';
import { lessonSchema } from '../../src/schemas/lesson.ts';
import { moduleSchema, moduleSlugs } from '../../src/schemas/module.ts';
import { quizSchema } from '../../src/schemas/quiz.ts';
import { readFrontmatter, readYaml } from '../helpers/frontmatter.ts';

// The curriculum is whole: every module has its lessons, exercises, quizzes, final assessment
// and facilitator guide in every language, and every glossary term a lesson links to exists in
// that lesson's language.

// CONTENT_DIR, as in src/content.config.ts, checks another content tree (e.g. a snapshot).
const root = process.env['CONTENT_DIR'] ? `${process.env['CONTENT_DIR'].replace(/\/$/, '')}/` : new URL('../../content/', import.meta.url).pathname;
const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('_')).sort() : []);
const termsIn = (body: string) => [...body.matchAll(/<Term\s+id="([^"]+)"/g)].map((m) => m[1]!);

describe.each(moduleSlugs)('module %s', (module) => {
  const lessonFiles = list(join(root, 'en', 'lessons', module));

  it('has at least four lessons, each with one exercise and a quiz of five or more questions, in every language', () => {
    expect(lessonFiles.length).toBeGreaterThanOrEqual(4);
    for (const lang of languages) {
      expect(list(join(root, lang, 'lessons', module))).toEqual(lessonFiles);
      for (const f of lessonFiles) {
        const { data, body } = readFrontmatter(join(root, lang, 'lessons', module, f));
        const lesson = lessonSchema.parse(data);
        expect(body.match(/<Exercise\b/g)?.length, `${lang}/${f} exercise`).toBe(1);
        const quiz = quizSchema.parse(readYaml(join(root, 'quizzes', `${lesson.quiz}.yaml`)));
        expect(quiz.questions.length, `${lesson.quiz}`).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it('has a final assessment of at least ten questions', () => {
    const overview = moduleSchema.parse(readFrontmatter(join(root, 'en', 'modules', `${module}.md`)).data);
    expect(overview.assessment, 'assessment field of the module overview').toBeDefined();
    const quiz = quizSchema.parse(readYaml(join(root, 'quizzes', `${overview.assessment}.yaml`)));
    expect(quiz.kind).toBe('final-assessment');
    expect(quiz.questions.length).toBeGreaterThanOrEqual(10);
  });

  it.each(languages)('has a facilitator guide in %s whose agenda fills the workshop days and covers every lesson', (lang) => {
    const file = join(root, lang, 'guides', `${module}.mdx`);
    expect(existsSync(file), file).toBe(true);
    const guide = guideSchema.parse(readFrontmatter(file).data);
    const days = moduleSchema.parse(readFrontmatter(join(root, lang, 'modules', `${module}.md`)).data).format.days;
    expect(guide.agenda.map((d) => d.day)).toEqual(Array.from({ length: days }, (_, i) => i + 1));
    const covered = new Set(guide.agenda.flatMap((d) => d.sessions.map((s) => s.lesson)).filter(Boolean));
    for (const f of lessonFiles) expect(covered.has(f.replace(/\.mdx$/, '')), `${lang} agenda covers ${f}`).toBe(true);
    expect(guide.agenda.flatMap((d) => d.sessions).some((s) => s.kind === 'assessment'), 'final assessment in the agenda').toBe(true);
  });

  it.each(languages)('covers at least 60% of every workshop day but the assessment day with its lessons and their exercises, in %s', (lang) => {
    const guide = guideSchema.parse(readFrontmatter(join(root, lang, 'guides', `${module}.mdx`)).data);
    const lessons = new Set(lessonFiles.map((f) => f.replace(/\.mdx$/, '')));
    for (const { day, sessions } of guide.agenda) {
      if (sessions.some((s) => s.kind === 'assessment')) continue;
      const { covered, total } = agendaCoverage(sessions, lessons);
      expect(covered / total, `${lang} day ${day}: ${covered} of ${total} minutes name a lesson of the module`).toBeGreaterThanOrEqual(0.6);
    }
  });
});

/** Minutes of a session "HH:MM-HH:MM". */
const minutes = (time: string) => {
  const [from, to] = time.split('-').map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  return to! - from!;
};

/**
 * Agenda coverage of one workshop day: minutes of sessions that name an existing lesson of the
 * module (its presentation, exercise, knowledge check or a discussion built on it), over the
 * minutes of every session but breaks. Openings, recaps and reviews of the day count in the total.
 */
function agendaCoverage(sessions: { time: string; kind: string; lesson?: string | undefined }[], lessons: Set<string>) {
  const taught = sessions.filter((s) => s.kind !== 'break');
  const total = taught.reduce((sum, s) => sum + minutes(s.time), 0);
  const covered = taught.filter((s) => s.lesson !== undefined && lessons.has(s.lesson)).reduce((sum, s) => sum + minutes(s.time), 0);
  return { covered, total };
}


describe('glossary', () => {
  const ids = (lang: string) => list(join(root, lang, 'glossary')).map((f) => f.replace(/\.yaml$/, ''));
  it.each(['fr', 'es'])('has the same terms in %s as in English', (lang) => {
    expect(ids(lang)).toEqual(ids('en'));
  });
  it('has every term a lesson or guide links to, in that language, with the same links in every language', () => {
    const files = moduleSlugs.flatMap((m) => [...list(join(root, 'en', 'lessons', m)).map((f) => join('lessons', m, f)), join('guides', `${m}.mdx`)]);
    for (const f of files) {
      if (!existsSync(join(root, 'en', f))) continue;
      const english = new Set(termsIn(readFrontmatter(join(root, 'en', f)).body));
      for (const lang of languages) {
        const used = new Set(termsIn(readFrontmatter(join(root, lang, f)).body));
        expect(used, `${lang}/${f} links the same terms as en`).toEqual(english);
        for (const id of used) expect(ids(lang), `${lang}/${f} links "${id}"`).toContain(id);
      }
    }
  });
});
