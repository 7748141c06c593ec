import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Language } from '../../i18n/languages.ts';
import { quizSchema } from '../../schemas/quiz.ts';
import { buildCatalogue, type Catalogue } from './catalogue.ts';

// The catalogue read straight from the content files, for Node programs that run without Astro
// (`npm run report`). Same files as the collections of src/content.config.ts, same builder as the
// review page's (src/lib/report/catalogue.ts).

/** A Markdown/MDX file's YAML frontmatter as an object. */
function frontmatter(path: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(path, 'utf8'));
  if (!match) throw new Error(`${path} has no frontmatter`);
  return parse(match[1] ?? '') as Record<string, unknown>;
}

const visible = (name: string, ext: RegExp) => !name.startsWith('_') && ext.test(name);
const text = (value: unknown, path: string, field: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${path}: ${field} must be a non-empty string`);
  return value;
};

/**
 * Read the catalogue of one language from a content tree.
 * @param lang the language of the names
 * @param contentDir the content folder, e.g. "./content" (CONTENT_DIR)
 * @param base the activity IRI base (PUBLIC_XAPI_ACTIVITY_BASE); default that of activities.ts
 * @returns the catalogue
 * @throws Error naming the file when a module, lesson or quiz file is unreadable or invalid
 */
export function readCatalogue(lang: Language, contentDir: string, base?: string): Catalogue {
  const modulesDir = join(contentDir, lang, 'modules');
  const modules = readdirSync(modulesDir)
    .filter((f) => visible(f, /\.md$/))
    .map((f) => {
      const path = join(modulesDir, f);
      const data = frontmatter(path);
      return { module: text(data['module'], path, 'module'), number: Number(data['number']), title: text(data['title'], path, 'title') };
    });
  const lessons = modules.flatMap(({ module }) => {
    const dir = join(contentDir, lang, 'lessons', module);
    return readdirSync(dir)
      .filter((f) => visible(f, /\.mdx$/))
      .map((f) => ({ module, lesson: f.replace(/\.mdx$/, ''), title: text(frontmatter(join(dir, f))['title'], join(dir, f), 'title') }));
  });
  const quizDir = join(contentDir, 'quizzes');
  const quizzes = readdirSync(quizDir)
    .filter((f) => visible(f, /\.yaml$/))
    .map((f) => {
      const result = quizSchema.safeParse(parse(readFileSync(join(quizDir, f), 'utf8')));
      if (!result.success)
        throw new Error(`${join(quizDir, f)}: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`);
      return { id: f.replace(/\.yaml$/, ''), data: result.data };
    });
  return buildCatalogue(lang, { modules, lessons, quizzes }, base);
}
