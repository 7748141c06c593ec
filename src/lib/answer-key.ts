import type { Language } from '../i18n/languages.ts';
import type { QuestionBase } from '../questions/question-type.ts';
import { questionTypes, type QuestionRegistry, type Words } from '../questions/index.ts';

/**
 * UI strings by key from a flat dictionary (locales/{lang}.json), as question types read them.
 * @param strings the dictionary of one language
 * @returns a lookup that throws for a key the dictionary lacks (a missing string is a bug)
 */
export function wordsFrom(strings: Readonly<Record<string, string>>): Words {
  return (key) => {
    const text = strings[key];
    if (text === undefined) throw new Error(`Missing UI string "${key}"`);
    return text;
  };
}

/**
 * The correct answer of a question as a facilitator reads it, in one language, by its type's
 * answerLines (src/questions/<type>.ts): the correct option(s), True/False, "source → target"
 * pairs, the items in order, the number (with its tolerance and unit), or the accepted words.
 * Generated from the quiz file, so an answer key can never disagree with the quiz.
 * @param words the page's UI strings (e.g. quiz.true, guide.tolerance)
 * @param registry the question types (the site's unless given)
 * @returns one or more lines of plain text
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function answerLines(q: QuestionBase, lang: Language, words: Words, registry: QuestionRegistry = questionTypes): string[] {
  return registry.get(q).answerLines(q, lang, words);
}

/**
 * What a question's slide lists under its prompt, by its type's slideOptions: the options, True
 * and False, "source → ?" lines, the items as shown; nothing for a typed answer.
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function slideOptions(q: QuestionBase, lang: Language, words: Words, registry: QuestionRegistry = questionTypes): string[] {
  return registry.get(q).slideOptions(q, lang, words);
}
