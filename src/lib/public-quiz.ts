import { questionTypes, type PublicQuestion, type Question } from '../questions/index.ts';
import type { QuizData } from '../schemas/quiz.ts';
import type { PublicQuiz } from './grading.ts';

// Build-time only (src/components/Quiz.astro): it needs each type's strip, which the browser's
// question code (src/questions/runtime.ts) does not carry.

/**
 * A copy of a quiz without its answer key and feedback (each type's strip): what a final
 * assessment's page and island receive, so that no built file holds the key (issue 11: "Their
 * answer keys are in no built file").
 * @param quiz the quiz as parsed by src/schemas/quiz.ts
 */
export function publicQuiz(quiz: QuizData): PublicQuiz {
  const strip = (q: Question) => questionTypes.get(q).strip(q) as PublicQuestion;
  return { module: quiz.module, kind: quiz.kind, title: quiz.title, passMark: quiz.passMark, questions: quiz.questions.map(strip) };
}
