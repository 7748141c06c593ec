import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import french from 'lunr-languages/lunr.fr.js';
import spanish from 'lunr-languages/lunr.es.js';
import type { Language } from '../../i18n/languages.ts';

let registered = false;

/**
 * lunr with the French and Spanish pipelines registered, once (docs/stack-notes.md, "lunr.multiLanguage"): the
 * stemmer support, then fr and es. Their pipelines fold accents before stemming, so
 * "evaluacion" finds "evaluación". The same set-up serves the build (index) and the browser
 * (query), which must agree for `lunr.Index.load` to work.
 */
export function setupLunr(): typeof lunr {
  if (!registered) {
    stemmerSupport(lunr);
    french(lunr);
    spanish(lunr);
    registered = true;
  }
  return lunr;
}

/**
 * The lunr plugin that gives a builder a language's trimmer, stop words, accent folding and
 * stemmer; English uses lunr's own pipeline.
 */
export function languagePlugin(l: typeof lunr, lang: Language): lunr.Builder.Plugin | undefined {
  if (lang === 'fr') return (l as unknown as { fr: lunr.Builder.Plugin }).fr;
  if (lang === 'es') return (l as unknown as { es: lunr.Builder.Plugin }).es;
  return undefined;
}
