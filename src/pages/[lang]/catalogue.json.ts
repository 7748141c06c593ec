import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { languagePaths, type Language } from '../../i18n/languages.ts';
import { getLessons, getModules, lessonSlug } from '../../lib/content.ts';
import { buildCatalogue } from '../../lib/report/catalogue.ts';

/**
 * /{lang}/catalogue.json: the site's activities with their names in one language (see
 * src/lib/report/catalogue.ts), read by the review page so that module and question names never
 * come from statements. Holds titles and question prompts only, never an answer key.
 */
export const getStaticPaths = languagePaths;

export const GET: APIRoute = async ({ params }) => {
  const lang = params['lang'] as Language;
  const modules = await getModules(lang);
  const lessons = (await Promise.all(modules.map((m) => getLessons(lang, m.data.module)))).flat();
  const quizzes = await getCollection('quizzes');
  const catalogue = buildCatalogue(lang, {
    modules: modules.map((m) => ({ module: m.data.module, number: m.data.number, title: m.data.title })),
    lessons: lessons.map((l) => ({ module: l.data.module, lesson: lessonSlug(l), title: l.data.title })),
    quizzes: quizzes.map((q) => ({ id: q.id, data: q.data })),
  });
  return new Response(JSON.stringify(catalogue), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
