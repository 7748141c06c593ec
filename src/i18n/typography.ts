import type { Language } from './languages.ts';

/**
 * French punctuation spacing: a narrow no-break space (U+202F) before the high marks : ; ! ? and
 * inside guillemets « », so that a mark never starts a line and its spacing is the typographer's
 * (Lexique des règles typographiques en usage à l'Imprimerie nationale; Unicode's
 * NARROW NO-BREAK SPACE). A no-break space (U+00A0) is accepted too: it is the older usage before
 * the colon. English and Spanish put no space there.
 */

/** U+202F NARROW NO-BREAK SPACE. */
export const NARROW_NBSP = '\u202f';

// A mark that ends a clause: followed by a space, the end, a closing quote or bracket, or the
// end of Markdown emphasis ("**Intitulé :**").
const after = '(?=[\\s»")\\]*_]|$)';
const rules: { wrong: RegExp; fix: string }[] = [
  // "finale : …" with a plain space.
  { wrong: new RegExp(`[ \\t]+([:;!?])${after}`, 'gu'), fix: `${NARROW_NBSP}$1` },
  // "finale: …" with none. Times (10:30) and addresses (https://, ?q=) are not followed by a space.
  { wrong: new RegExp(`([\\p{L}\\p{N})\\]»'’"*_])([:;!?])${after}`, 'gu'), fix: `$1${NARROW_NBSP}$2` },
  // « texte » with plain spaces, or none.
  { wrong: /«[ \t]*(?=[^\s\u202f\u00a0])/gu, fix: `«${NARROW_NBSP}` },
  { wrong: /(?<=[^\s\u202f\u00a0])[ \t]*»/gu, fix: `${NARROW_NBSP}»` },
];

/**
 * Put French punctuation spacing into a text.
 * @param text French text (a UI string, a sentence of content); text already right is unchanged
 * @returns the text with U+202F before : ; ! ? and inside « »
 */
export function frenchSpacing(text: string): string {
  return rules.reduce((t, { wrong, fix }) => t.replace(wrong, fix), text);
}

/**
 * Where a French text breaks the spacing rule, for tests and checks.
 * @param text French text
 * @returns each fault as a short excerpt around it ("…finale: l'…"); empty when the text is right
 */
export function frenchSpacingFaults(text: string): string[] {
  const faults: string[] = [];
  for (const { wrong } of rules) {
    for (const m of text.matchAll(wrong))
      faults.push(text.slice(Math.max(0, m.index - 20), m.index + m[0].length + 10).replace(/\s+/g, ' '));
  }
  return faults;
}

/** The separator of clauses in a list ("a ; b") where a language differs from "; " (French typography above). */
const semicolons: Partial<Record<Language, string>> = { fr: `${NARROW_NBSP}; ` };

/**
 * Join clauses with semicolons as the language writes them: "a ; b" in French (U+202F), "a; b".
 * @param lang the page's language
 * @param clauses the texts to join
 */
export function joinClauses(lang: Language, clauses: string[]): string {
  return clauses.join(semicolons[lang] ?? '; ');
}

/** The colon after a word where a language differs from ":" (French typography above). */
const colons: Partial<Record<Language, string>> = { fr: `${NARROW_NBSP}:` };

/**
 * A label and its value joined by a colon, as the language writes it: "Source : UNESCO" in French
 * (U+202F), "Source: UNESCO" in English and Spanish.
 * @param lang the page's language
 * @param label the label, e.g. t('caseStudy.source')
 * @param value the value; omitted, the label ends with its colon ("Réponse :")
 */
export function labelled(lang: Language, label: string, value?: string): string {
  const colon = colons[lang] ?? ':';
  return value === undefined ? `${label}${colon}` : `${label}${colon} ${value}`;
}
