import type { ReactNode } from 'react';
import type { Language } from '../i18n/languages.ts';
import type { InLanguage, LanguageMap } from '../i18n/in-language.ts';
import type { PublicBase, QuestionBase, QuestionResponse } from './question-type.ts';

// What every answer component (src/questions/*Answer.tsx) receives, and the pieces they share.

/** Props of a question type's answer component: the controls of one question inside its fieldset. */
export interface AnswerProps<Q extends QuestionBase = QuestionBase, P extends PublicBase = PublicBase> {
  /** The question in the page's language, with its key (knowledge check) or without (final assessment). */
  q: InLanguage<Q> | InLanguage<P>;
  /** Prefix of this question's element ids and input names: "{quiz id}-{question id}". */
  name: string;
  lang: Language;
  /** The type's UI strings (its `strings` of src/questions/<type>.ts), resolved in the page's language. */
  labels: Readonly<Record<string, string>>;
  /** The learner's current answer, or undefined. */
  response: QuestionResponse | undefined;
  /** The attempt is checked: show the feedback (when the question holds it). */
  locked: boolean;
  /** Once locked: whether the answer was right (the quiz's own key or the server's verdict). */
  right: boolean;
  onAnswer?: ((questionId: string, response: QuestionResponse) => void) | undefined;
}

/**
 * A question type's answer component. Declared as a method type so that a component written for
 * its own question type (AnswerProps<MatchingQuestion>) can be listed with the others.
 */
export type AnswerComponent = { render(props: AnswerProps): ReactNode }['render'];

/** The text of a language map in the page's language ("" when it lacks it). */
export const say = (text: LanguageMap | undefined, lang: Language): string => text?.[lang] ?? '';

// Placeholders are filled by the one formatting helper (numbers in the page's language when given).
export { fill } from '../i18n/format.ts';

/**
 * The whole-answer feedback of a checked question that holds it (feedback.correct or
 * .incorrect; authored to start with the verdict): nothing before the check or without a key.
 */
export function WholeFeedback(props: { q: object; lang: Language; locked: boolean; right: boolean }) {
  const { q, lang, locked, right } = props;
  if (!locked || !('feedback' in q)) return null;
  const feedback = q.feedback as { correct: LanguageMap; incorrect: LanguageMap };
  return (
    <p className={right ? 'quiz-feedback is-right' : 'quiz-feedback is-wrong'}>{say(feedback[right ? 'correct' : 'incorrect'], lang)}</p>
  );
}
