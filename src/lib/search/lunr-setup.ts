import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import french from 'lunr-languages/lunr.fr.js';
import spanish from 'lunr-languages/lunr.es.js';
import { languageEntry, type Language, type StemmerId } from '../../i18n/languages.ts';

/**
 * The lunr-languages pipelines this build can register, by id. The registry
 * (src/i18n/languages.ts) says which language uses which; a language whose stemmer is not here
 * fails the search index build with a message naming this file (each pipeline is imported
 * statically, as the browser's query needs the same functions registered).
 */
const pipelines: Partial<Record<StemmerId, (l: typeof lunr) => void>> = { fr: french, es: spanish };

let registered = false;

/**
 * lunr with the pipelines above registered, once (docs/stack-notes.md, "lunr.multiLanguage"): the
 * stemmer support, then each pipeline. French and Spanish fold accents before stemming, so
 * "evaluacion" finds "evaluación". The same set-up serves the build (index) and the browser
 * (query), which must agree for `lunr.Index.load` to work.
 */
export function setupLunr(): typeof lunr {
  if (!registered) {
    stemmerSupport(lunr);
    for (const register of Object.values(pipelines)) register(lunr);
    registered = true;
  }
  return lunr;
}

/**
 * The lunr plugin that gives a builder a language's trimmer, stop words, accent folding and
 * stemmer, as its registry entry's `stemmer` names it; undefined for lunr's own (English) pipeline.
 * @throws Error when the registry names a pipeline that is not registered above
 */
export function languagePlugin(l: typeof lunr, lang: Language): lunr.Builder.Plugin | undefined {
  const id = languageEntry(lang).stemmer;
  if (id === null) return undefined;
  if (!pipelines[id]) throw new Error(`The search pipeline "${id}" of ${lang} is not registered in src/lib/search/lunr-setup.ts`);
  return (l as unknown as Record<string, lunr.Builder.Plugin>)[id];
}
