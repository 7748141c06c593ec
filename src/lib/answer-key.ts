import type { Language } from '../i18n/languages.ts';
import { fill, formatNumber } from '../i18n/format.ts';
import type { Question } from '../schemas/quiz.ts';

/** Words the answer key needs in the page's language. */
export interface AnswerKeyWords {
  true: string;
  false: string;
  /** "accepted within ± {{tolerance}}" */
  tolerance: string;
}

/**
 * The correct answer of a question as a facilitator reads it, in one language: the correct
 * option(s), True/False, "source → target" pairs, the items in order, the number (with its
 * tolerance and unit), or the accepted words. Generated from the quiz file, so an answer key
 * can never disagree with the quiz.
 * @returns one or more lines of plain text
 */
export function answerLines(q: Question, lang: Language, words: AnswerKeyWords): string[] {
  switch (q.type) {
    case 'single-choice':
      return q.options.filter((o) => o.id === q.correct).map((o) => o.text[lang]);
    case 'multiple-response':
      return q.options.filter((o) => q.correct.includes(o.id)).map((o) => o.text[lang]);
    case 'true-false':
      return [q.answer ? words.true : words.false];
    case 'matching':
      return q.sources.map((s) => `${s.text[lang]} → ${q.targets.find((t) => t.id === q.correct[s.id])?.text[lang] ?? ''}`);
    case 'sequencing':
      return q.correct.map((id, i) => `${i + 1}. ${q.items.find((it) => it.id === id)?.text[lang] ?? id}`);
    case 'numeric': {
      // Grouping as toLocaleString wrote it before (from four digits), in the registry's locale.
      const n = formatNumber(lang, q.answer, { useGrouping: 'auto', maximumFractionDigits: 3 });
      const unit = q.unit ? ` ${q.unit[lang]}` : '';
      return [q.tolerance ? `${n}${unit} (${fill(words.tolerance, { tolerance: formatNumber(lang, q.tolerance, { useGrouping: 'auto', maximumFractionDigits: 3 }) })})` : `${n}${unit}`];
    }
    case 'fill-in':
      return [q.accepted[lang].join(' / ')];
  }
}
