import { useEffect, useRef, useState } from 'react';
import type { Language } from '../../i18n/languages.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import { isCorrect, type QuestionResponse } from '../../lib/xapi/statements.ts';
import { recordQuizAttempt, type QuizPlacement } from '../../lib/xapi/tracking.ts';
import { Quiz, fill, type QuizLabels, type QuizResult } from './Quiz.tsx';

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
  const started = useRef(Date.now());
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    started.current = Date.now();
    root.current?.setAttribute('data-hydrated', 'true');
  }, []);

  const answered = (r: QuestionResponse | undefined) => r !== undefined && (!Array.isArray(r) || r.length > 0);

  const submit = () => {
    const left = quiz.questions.filter((q) => !answered(answers[q.id])).length;
    if (left > 0) {
      setMessage(fill(labels.unanswered, { count: left }));
      return;
    }
    const raw = quiz.questions.filter((q) => isCorrect(q, answers[q.id] as QuestionResponse)).length;
    const max = quiz.questions.length;
    setResult({ raw, max, passed: raw / max >= quiz.passMark });
    setMessage('');
    void recordQuizAttempt(lang, quiz, placement, answers, { raw, durationMs: Date.now() - started.current });
  };

  const retry = () => {
    setAnswers({});
    setResult(null);
    setMessage('');
    started.current = Date.now();
  };

  return (
    <div ref={root} className="quiz-island">
      <Quiz
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
