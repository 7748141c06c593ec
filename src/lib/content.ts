import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { defaultLanguage, languages, type Language } from '../i18n/languages.ts';
import type { LocalizedText } from '../schemas/localized.ts';
import { lessonId, moduleId, quizId, type ActivityRef } from './xapi/activities.ts';

// Build-time queries over the content collections. Entry ids keep the language folder:
// modules "en/modules/<module>", lessons "en/lessons/<module>/<lesson>".

/** The language and the language-independent slug of an entry id. */
export function splitId(id: string): { lang: Language; slug: string } {
  const [lang, , ...rest] = id.split('/');
  return { lang: lang as Language, slug: rest.join('/') };
}

/** The last path segment of a lesson's id: its slug within the module. */
export const lessonSlug = (entry: CollectionEntry<'lessons'>): string => entry.id.split('/').at(-1) ?? entry.id;

/**
 * The six modules in one language, in their official order.
 * @throws Error when a module exists in English but not in `lang` (a page never falls back silently)
 */
export async function getModules(lang: Language): Promise<CollectionEntry<'modules'>[]> {
  const all = await getCollection('modules');
  const english = all.filter((m) => splitId(m.id).lang === defaultLanguage);
  const here = all.filter((m) => splitId(m.id).lang === lang);
  for (const en of english)
    if (!here.some((m) => m.data.module === en.data.module))
      throw new Error(`content/${lang}/modules/${en.data.module}.md is missing (it exists in English)`);
  return here.sort((a, b) => a.data.number - b.data.number);
}

/**
 * The lessons of a module in one language, in their `order`.
 * @throws Error when a lesson exists in English but not in `lang`
 */
export async function getLessons(lang: Language, module: string): Promise<CollectionEntry<'lessons'>[]> {
  const all = await getCollection('lessons', (l) => l.data.module === module);
  const here = all.filter((l) => splitId(l.id).lang === lang);
  for (const en of all.filter((l) => splitId(l.id).lang === defaultLanguage))
    if (!here.some((l) => lessonSlug(l) === lessonSlug(en)))
      throw new Error(`content/${lang}/lessons/${module}/${lessonSlug(en)}.mdx is missing (it exists in English)`);
  return here.sort((a, b) => a.data.order - b.data.order);
}

async function titles(collection: 'modules' | 'lessons', match: (id: string) => boolean): Promise<LocalizedText> {
  const entries = await getCollection(collection, (e) => match(e.id));
  const byLang = Object.fromEntries(entries.map((e) => [splitId(e.id).lang, e.data.title]));
  for (const lang of languages) if (!byLang[lang]) throw new Error(`no ${lang} title for ${collection} matching ${entries[0]?.id}`);
  return byLang as LocalizedText;
}

/** The module's activity IRI and its titles in every language (the xAPI activity name). */
export async function moduleRef(module: string): Promise<ActivityRef> {
  return { id: moduleId(module), name: await titles('modules', (id) => id.endsWith(`/modules/${module}`)) };
}

/** The lesson's activity IRI and its titles in every language. */
export async function lessonRef(module: string, lesson: string): Promise<ActivityRef> {
  return { id: lessonId(module, lesson), name: await titles('lessons', (id) => id.endsWith(`/lessons/${module}/${lesson}`)) };
}

/**
 * A quiz by id, with its activity reference.
 * @throws Error naming the id when content/quizzes/{id}.yaml does not exist
 */
export async function getQuiz(id: string): Promise<{ entry: CollectionEntry<'quizzes'>; ref: ActivityRef }> {
  const entry = await getEntry('quizzes', id);
  if (!entry) throw new Error(`quiz "${id}" not found: expected content/quizzes/${id}.yaml`);
  return { entry, ref: { id: quizId(id), name: entry.data.title } };
}
