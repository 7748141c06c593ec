import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { languages, type Language } from '../../i18n/languages.ts';

/** What a certificate says of a module, in each language. */
export interface ModuleFacts {
  /** The module's slug, e.g. "understanding-the-convention". */
  slug: string;
  /** Its number in the curriculum, 1 to 6. */
  number: number;
  title: Record<Language, string>;
  summary: Record<Language, string>;
  /** Lessons in the module (content/en/lessons/{slug}/, files not starting with "_"). */
  lessons: number;
  /** Their slugs (file names without extension), as in their activity IRIs (src/lib/xapi/activities.ts lessonId). */
  lessonSlugs: string[];
}

const loaded = new Map<string, ReadonlyMap<string, ModuleFacts>>();

/**
 * The modules of a content tree, read once per process from their frontmatter
 * (content/{lang}/modules/{slug}.md: number, title, summary) and lesson folders.
 * @param contentDir the content folder, e.g. "./content"
 * @returns the modules by slug
 * @throws Error naming the file and field when a module file lacks number, title or summary
 */
export function loadModuleFacts(contentDir: string): ReadonlyMap<string, ModuleFacts> {
  const key = resolve(contentDir);
  const known = loaded.get(key);
  if (known !== undefined) return known;
  const modules = new Map<string, ModuleFacts>();
  const folder = join(contentDir, 'en', 'modules');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.md') && !f.startsWith('_'))) {
    const slug = file.replace(/\.md$/, '');
    const title = {} as Record<Language, string>;
    const summary = {} as Record<Language, string>;
    let number = 0;
    for (const lang of languages) {
      const path = join(contentDir, lang, 'modules', file);
      const data = frontmatter(path);
      for (const field of ['number', 'title', 'summary'] as const) {
        if (data[field] === undefined || data[field] === '') throw new Error(`${path}: ${field} is missing`);
      }
      title[lang] = String(data['title']);
      summary[lang] = String(data['summary']);
      number = Number(data['number']);
    }
    const lessonDir = join(contentDir, 'en', 'lessons', slug);
    const lessonSlugs = existsSync(lessonDir)
      ? readdirSync(lessonDir)
          .filter((f) => /\.mdx?$/.test(f) && !f.startsWith('_'))
          .map((f) => f.replace(/\.mdx?$/, ''))
          .sort()
      : [];
    modules.set(slug, { slug, number, title, summary, lessons: lessonSlugs.length, lessonSlugs });
  }
  loaded.set(key, modules);
  return modules;
}

function frontmatter(path: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(path, 'utf8'));
  if (!match) throw new Error(`${path} has no frontmatter`);
  return parse(match[1] ?? '') as Record<string, unknown>;
}
