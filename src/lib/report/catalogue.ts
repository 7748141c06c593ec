import type { Language } from '../../i18n/languages.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import { activityBase, lessonId, moduleId, questionId, quizId } from '../xapi/activities.ts';

// The site's own catalogue of activities, in one language: the only source of the module,
// lesson, quiz and question names the Secretariat's report shows (issue 11: "A statement's
// definitions are never used for them"). Built at build time for the review page
// (src/pages/[lang]/catalogue.json.ts) and from the content files for `npm run report`
// (src/lib/report/catalogue-files.ts); both feed buildCatalogue, so the two cannot disagree.

/** The curriculum in one language, as the report needs it. */
export interface Catalogue {
  /** The language of the names. */
  lang: Language;
  /** Activity IRI -> its name in `lang`: modules, lessons, quizzes and their questions. */
  names: Record<string, string>;
  /** Module IRIs, in the strategy's order (1 to 6). */
  modules: string[];
  /** Quiz IRI -> its module's IRI and whether it is a lesson's knowledge check, the module's final assessment or its pre-test. */
  quizzes: Record<string, { module: string; kind: QuizData['kind'] }>;
}

/** What buildCatalogue reads: the content, language by language, as the collections hold it. */
export interface CatalogueSource {
  /** Module overviews in the catalogue's language. */
  modules: ReadonlyArray<{ module: string; number: number; title: string }>;
  /** Lessons in the catalogue's language. */
  lessons: ReadonlyArray<{ module: string; lesson: string; title: string }>;
  /** Every quiz (content/quizzes/{id}.yaml), texts in all languages. */
  quizzes: ReadonlyArray<{ id: string; data: QuizData }>;
}

/**
 * Build the catalogue of one language.
 * @param lang the language of the names
 * @param source the content (see CatalogueSource)
 * @param base the activity IRI base the statements were recorded with; default the build's
 *   PUBLIC_XAPI_ACTIVITY_BASE (src/lib/xapi/activities.ts), given by `npm run report` from its
 *   own environment
 * @returns the catalogue; IRIs are those of src/lib/xapi/activities.ts
 */
export function buildCatalogue(lang: Language, source: CatalogueSource, base: string = activityBase): Catalogue {
  const root = base.endsWith('/') ? base : `${base}/`;
  const iri = (id: string) => (root === activityBase ? id : root + id.slice(activityBase.length));
  const names: Record<string, string> = {};
  const modules = [...source.modules].sort((a, b) => a.number - b.number);
  for (const m of modules) names[iri(moduleId(m.module))] = m.title;
  for (const l of source.lessons) names[iri(lessonId(l.module, l.lesson))] = l.title;
  const quizzes: Catalogue['quizzes'] = {};
  for (const { id, data } of source.quizzes) {
    names[iri(quizId(id))] = data.title[lang];
    for (const q of data.questions) names[iri(questionId(id, q.id))] = q.prompt[lang];
    quizzes[iri(quizId(id))] = { module: iri(moduleId(data.module)), kind: data.kind };
  }
  return { lang, names, modules: modules.map((m) => iri(moduleId(m.module))), quizzes };
}

/**
 * The name of an activity in the catalogue's language; an activity the site does not know keeps
 * its IRI as its name (shown as text, never as markup).
 * @param catalogue the catalogue, or undefined to show IRIs only
 * @param id the activity IRI
 */
export const nameOf = (catalogue: Catalogue | undefined, id: string): string => catalogue?.names[id] ?? id;
