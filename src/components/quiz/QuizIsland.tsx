import { useEffect, useRef, useState } from 'react';
import type { Language } from '../../i18n/languages.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import { finalResponse, gradeQuiz, type QuestionResponse } from '../../lib/grading.ts';
import { recordQuizAttempt, type QuizPlacement } from '../../lib/xapi/tracking.ts';
import { Quiz, fill, type QuizLabels, type QuizResult } from './Quiz.tsx';

export { finalResponse };

/** Props of the quiz island: the quiz (all languages), where it sits, and resolved UI strings. */
export interface QuizIslandProps {
  lang: Language;
  quiz: QuizData;
  placement: QuizPlacement;
  labels: QuizLabels;
}

/**
 * The quiz's hydrated shell: holds the answers, scores an attempt, and records it as xAPI
 * statements through the outbox ("answered" per question, then "passed"/"failed", then
 * "completed" where earned). Retry clears the answers and starts a new attempt's clock.
 */
export default function QuizIsland({ lang, quiz, placement, labels }: QuizIslandProps) {
  const [answers, setAnswers] = useState<Record<string, QuestionResponse>>({});
  const [result, setResult] = useState<QuizResult | null>(null);
  const [message, setMessage] = useState('');
  const [attempt, setAttempt] = useState(0);
  const started = useRef(Date.now());
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    started.current = Date.now();
    root.current?.setAttribute('data-hydrated', 'true');
  }, []);

  const submit = () => {
    const final = Object.fromEntries(quiz.questions.map((q) => [q.id, finalResponse(q, answers[q.id])]));
    const left = quiz.questions.filter((q) => final[q.id] === undefined).length;
    if (left > 0) {
      setMessage(fill(labels.unanswered, { count: left }));
      return;
    }
    const complete = final as Record<string, QuestionResponse>;
    const { raw, max, passed } = gradeQuiz(quiz, complete);
    setAnswers(complete);
    setResult({ raw, max, passed });
    setMessage('');
    void recordQuizAttempt(lang, quiz, placement, complete, { raw, durationMs: Date.now() - started.current });
  };

  const retry = () => {
    setAnswers({});
    setResult(null);
    setMessage('');
    setAttempt((n) => n + 1);
    started.current = Date.now();
  };

  return (
    <div ref={root} className="quiz-island">
      <Quiz
        key={attempt}
        idPrefix={placement.quizKey}
        lang={lang}
        quiz={quiz}
        labels={labels}
        answers={answers}
        result={result}
        message={message}
        onAnswer={(id, r) => setAnswers((a) => ({ ...a, [id]: r }))}
        onSubmit={submit}
        onRetry={retry}
      />
    </div>
  );
}
