import type { Language } from '../i18n/languages.ts';
import { intlLocale } from '../i18n/format.ts';

/** The separators a language writes numbers with, as Intl formats them. */
export interface NumberSeparators {
  /** Between groups of three digits: "," (en), U+202F (fr), "." (es). */
  group: string;
  /** Before the fraction: "." (en), "," (fr, es). */
  decimal: string;
}

/**
 * What a typed number means.
 * - `number`: one reading only.
 * - `ambiguous`: two plausible readings, e.g. "24,000" in French (24 or 24 000) or "1.500" in
 *   English (1.5 or 1 500); the learner must say which, the quiz must not guess.
 * - `invalid`: not a number (empty, letters, misplaced separators).
 */
export type ParsedNumber = { kind: 'number'; value: number } | { kind: 'ambiguous'; values: [number, number] } | { kind: 'invalid' };

/**
 * The group and decimal separators of a language, learned from Intl (ECMA-402
 * NumberFormat.prototype.formatToParts) rather than written out per language.
 * @param lang site language
 */
export function numberSeparators(lang: Language): NumberSeparators {
  const parts = new Intl.NumberFormat(intlLocale(lang)).formatToParts(12345.6);
  return {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

/** Spaces people type between digit groups: space, no-break space, thin and narrow no-break spaces. */
const SPACES = /[\s\u00a0\u2009\u202f]/u;

/**
 * Read digits with one decimal mark and one kind of group mark (spaces always count as
 * group marks). Groups must be three digits after a first group of one to three that does
 * not start with 0, so "1,2" never reads as a grouping.
 * @returns the value, or undefined when the text does not fit this reading
 */
function readAs(body: string, group: string, decimal: string): number | undefined {
  const [int = '', frac, extra] = body.split(decimal);
  if (extra !== undefined) return undefined;
  if (frac !== undefined && !/^\d+$/.test(frac)) return undefined;
  if (int === '' && frac === undefined) return undefined;
  const marks = new Set([...int].filter((c) => !/\d/.test(c)).map((c) => (SPACES.test(c) ? ' ' : c)));
  if (marks.size > 1) return undefined;
  const [mark] = [...marks];
  if (mark !== undefined) {
    if (mark !== ' ' && mark !== group) return undefined;
    const groups = int.split(mark === ' ' ? SPACES : group);
    const [first = '', ...rest] = groups;
    if (!/^[1-9]\d{0,2}$/.test(first) || rest.length === 0 || !rest.every((g) => /^\d{3}$/.test(g))) return undefined;
  } else if (int !== '' && !/^\d+$/.test(int)) {
    return undefined;
  }
  return Number(`${[...int].filter((c) => /\d/.test(c)).join('') || '0'}${frac === undefined ? '' : `.${frac}`}`);
}

/**
 * Parse a number as a learner types it in their language: "24,000" is 24 000 in English,
 * "24 000" and "24,5" are French, "24.000" and "24,5" Spanish. The other convention of "." and ","
 * is accepted when it is the only possible reading ("12.5" in French is 12.5), but a text
 * whose native reading is a decimal mark before exactly three digits, and which also reads as a
 * grouping the other way ("24,000" in fr/es, "1.500" in en), is `ambiguous`.
 * Separators come from {@link numberSeparators}. A leading "-" or "−" (U+2212) makes it negative.
 * @param text what the learner typed
 * @param lang the quiz's language
 */
export function parseLocaleNumber(text: string, lang: Language): ParsedNumber {
  const trimmed = text.trim().replace(/^[\u2212]/u, '-');
  const negative = trimmed.startsWith('-');
  const body = (negative ? trimmed.slice(1) : trimmed).trim();
  if (!/^[\d\s\u00a0\u2009\u202f.,]+$/u.test(body) || !/\d/.test(body)) return { kind: 'invalid' };
  const native = numberSeparators(lang);
  const nativeGroup = SPACES.test(native.group) ? ' ' : native.group;
  // The other convention: "." and "," swap roles (for French, whose group mark is a space, "," is then the group mark).
  const foreignDecimal = native.decimal === ',' ? '.' : ',';
  const foreignGroup = native.decimal;
  const sign = (n: number) => (negative && n !== 0 ? -n : n);
  const mine = readAs(body, nativeGroup, native.decimal);
  const other = readAs(body, foreignGroup, foreignDecimal);
  if (mine === undefined && other === undefined) return { kind: 'invalid' };
  if (mine === undefined) return { kind: 'number', value: sign(other as number) };
  if (other === undefined || other === mine) return { kind: 'number', value: sign(mine) };
  // Both readings work: ask only when the native one took a group-looking "x,yyy" as a decimal.
  const onlyDecimal = body.split(native.decimal).length === 2 && /^\d+$/.test(body.split(native.decimal)[0] ?? '');
  const threeAfter = /^\d{3}$/.test(body.split(native.decimal)[1] ?? '');
  if (onlyDecimal && threeAfter) return { kind: 'ambiguous', values: [sign(mine), sign(other)] };
  return { kind: 'number', value: sign(mine) };
}

/**
 * Write a number for a quiz field in the learner's language, without group marks so that
 * parseLocaleNumber reads it back as the same value.
 * @param value a finite number
 * @param lang the quiz's language
 */
export function formatNumberInput(value: number, lang: Language): string {
  return new Intl.NumberFormat(intlLocale(lang), { useGrouping: false, maximumFractionDigits: 20 }).format(value);
}

/**
 * Write a number with the language's group marks, for messages ("24 000", "24,000", "24.000").
 * @param value a finite number
 * @param lang the quiz's language
 */
export function formatNumberDisplay(value: number, lang: Language): string {
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 20 }).format(value);
}
