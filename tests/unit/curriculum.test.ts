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
const root = process.env['CONTENT_DIR']
  ? `${process.env['CONTENT_DIR'].replace(/\/$/, '')}/`
  : new URL('../../content/', import.meta.url).pathname;
const list = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => !f.startsWith('_'))
        .sort()
    : [];
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
    expect(
      guide.agenda.flatMap((d) => d.sessions).some((s) => s.kind === 'assessment'),
      'final assessment in the agenda',
    ).toBe(true);
  });

  it.each(languages)(
    'covers at least 60% of every workshop day but the assessment day with its lessons and their exercises, in %s',
    (lang) => {
      const guide = guideSchema.parse(readFrontmatter(join(root, lang, 'guides', `${module}.mdx`)).data);
      const lessons = new Set(lessonFiles.map((f) => f.replace(/\.mdx$/, '')));
      for (const { day, sessions } of guide.agenda) {
        if (sessions.some((s) => s.kind === 'assessment')) continue;
        const { covered, total } = agendaCoverage(sessions, lessons);
        expect(covered / total, `${lang} day ${day}: ${covered} of ${total} minutes name a lesson of the module`).toBeGreaterThanOrEqual(
          0.6,
        );
      }
    },
  );
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
    const files = moduleSlugs.flatMap((m) => [
      ...list(join(root, 'en', 'lessons', m)).map((f) => join('lessons', m, f)),
      join('guides', `${m}.mdx`),
    ]);
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

// Printable materials (issue 15): every card set, template, rubric, observation sheet or case
// file a facilitator guide names is a file in content/{lang}/materials/{module}/, linked from the
// guide as `{ text, material }`, in every language (docs/authoring.md, "Writing a printable material").
import { materialSchema } from '../../src/schemas/material.ts';

describe('printable materials', () => {
  const slugs = (lang: string, module: string) => list(join(root, lang, 'materials', module)).map((f) => f.replace(/\.mdx$/, ''));
  const guideMaterials = (lang: string, module: string) => {
    const file = join(root, lang, 'guides', `${module}.mdx`);
    return existsSync(file) ? guideSchema.parse(readFrontmatter(file).data).materials : [];
  };
  const linked = (lang: string, module: string) => guideMaterials(lang, module).flatMap((m) => (typeof m === 'string' ? [] : [m.material]));
  // The words that name a printed material in an English guide's list of things to prepare.
  const printable = /\b(cards?|templates?|rubrics?|grids?|sheets?|case files?)\b/i;

  describe.each(moduleSlugs)('module %s', (module) => {
    it.each(languages)('links, in %s, only materials that exist in every language', (lang) => {
      for (const slug of linked(lang, module))
        for (const other of languages)
          expect(
            existsSync(join(root, other, 'materials', module, `${slug}.mdx`)),
            `content/${lang}/guides/${module}.mdx names "${slug}": content/${other}/materials/${module}/${slug}.mdx`,
          ).toBe(true);
    });

    it.each(languages)('has no material in %s that its guide does not name', (lang) => {
      const named = new Set(linked(lang, module));
      for (const slug of slugs(lang, module))
        expect(
          named.has(slug),
          `content/${lang}/materials/${module}/${slug}.mdx is named by no entry of the ${lang} guide's materials`,
        ).toBe(true);
    });

    it('has the same materials in every language, with the same kind, day, lesson, cards and ruled lines', () => {
      const english = slugs('en', module);
      for (const lang of languages) {
        expect(slugs(lang, module), `${lang} materials of ${module}`).toEqual(english);
        expect(new Set(linked(lang, module)), `${lang} guide links the same materials as en`).toEqual(new Set(linked('en', module)));
      }
      for (const slug of english) {
        const read = (lang: string) => {
          const file = join(root, lang, 'materials', module, `${slug}.mdx`);
          const { data, body } = readFrontmatter(file);
          const m = materialSchema.parse(data);
          expect(m.module, `${file}: module`).toBe(module);
          if (m.lesson)
            expect(existsSync(join(root, lang, 'lessons', module, `${m.lesson}.mdx`)), `${file}: lesson "${m.lesson}"`).toBe(true);
          // A material prints on A4 and US Letter portrait: no table of more than six columns.
          for (const row of body.split('\n').filter((l) => /^\s*\|/.test(l)))
            expect(
              row
                .trim()
                .replace(/^\||\|$/g, '')
                .split('|').length,
              `${file}: table row "${row.slice(0, 50)}" has more than 6 columns`,
            ).toBeLessThanOrEqual(6);
          return {
            kind: m.kind,
            day: m.day,
            lesson: m.lesson,
            cards: body.match(/<Card\b/g)?.length ?? 0,
            blanks: body.match(/<Blank\b/g)?.length ?? 0,
          };
        };
        const en = read('en');
        for (const lang of ['fr', 'es']) expect(read(lang), `${lang}/materials/${module}/${slug}.mdx against en`).toEqual(en);
      }
    });

    it('names no card set, template, rubric, grid, sheet or case file in the English guide without linking its material', () => {
      const plain = guideMaterials('en', module).filter((m): m is string => typeof m === 'string' && printable.test(m));
      expect(plain, `content/en/guides/${module}.mdx: make these { text, material } entries`).toEqual([]);
    });
  });
});
