import { useEffect, useRef, useState } from 'react';
import type { Language } from '../../i18n/languages.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import { finalResponse, gradeQuiz, hasAnswerKey, type PublicQuiz, type QuestionResponse } from '../../lib/grading.ts';
import { ASSESSMENT_EVENT, submitFinalAssessment, type AssessmentEventDetail } from '../../lib/xapi/assessment.ts';
import { recordQuizAttempt, type QuizPlacement } from '../../lib/xapi/tracking.ts';
import { Quiz, fill, type QuizLabels, type QuizResult } from './Quiz.tsx';

export { finalResponse };

/** Props of the quiz island: the quiz (all languages), where it sits, and resolved UI strings. */
export interface QuizIslandProps {
  lang: Language;
  /** A knowledge check with its key, or a final assessment without it (graded by the server). */
  quiz: QuizData | PublicQuiz;
  placement: QuizPlacement;
  labels: QuizLabels;
}

/** Whether a quiz carries its answer key (a knowledge check), so the browser can grade it. */
const gradable = (quiz: QuizData | PublicQuiz): quiz is QuizData => quiz.kind === 'knowledge-check' && quiz.questions.every(hasAnswerKey);

/**
 * The quiz's hydrated shell: holds the answers and the attempt. A knowledge check is graded here
 * at once and recorded as xAPI statements through the outbox ("answered" per question, then
 * "passed"/"failed", then "completed" where earned). A final assessment is sent to the server
 * through the attempt outbox (src/lib/xapi/assessment.ts), which grades it and writes its
 * statements: the island shows the server's grade when it comes, and offline says the answers are
 * saved and will be graded back online. Retry clears the answers and starts a new attempt's clock.
 */
export default function QuizIsland({ lang, quiz, placement, labels }: QuizIslandProps) {
  const [answers, setAnswers] = useState<Record<string, QuestionResponse>>({});
  const [result, setResult] = useState<QuizResult | null>(null);
  const [message, setMessage] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [verdicts, setVerdicts] = useState<Record<string, boolean> | undefined>(undefined);
  const [waiting, setWaiting] = useState(false);
  const attemptId = useRef<string | null>(null);
  const started = useRef(Date.now());
  const root = useRef<HTMLDivElement>(null);

  /** Show what the server did with the attempt: its grade, its refusal, or that it waits. */
  const show = (d: Omit<AssessmentEventDetail, 'quizKey'>) => {
    if (d.grade) {
      setResult({ raw: d.grade.raw, max: d.grade.max, passed: d.grade.passed });
      setVerdicts(d.grade.questions);
      setWaiting(false);
      setMessage('');
    } else if (d.rejected !== undefined) {
      setWaiting(false);
      setMessage(fill(labels.gradingRefused, { reason: d.rejected }));
    } else {
      setMessage(labels.gradingPending);
    }
  };

  useEffect(() => {
    started.current = Date.now();
    root.current?.setAttribute('data-hydrated', 'true');
    const graded = (e: Event) => {
      const detail = (e as CustomEvent<AssessmentEventDetail>).detail;
      if (detail.attempt === attemptId.current) show(detail);
    };
    window.addEventListener(ASSESSMENT_EVENT, graded);
    return () => window.removeEventListener(ASSESSMENT_EVENT, graded);
  }, []);

  const submit = () => {
    const final = Object.fromEntries(quiz.questions.map((q) => [q.id, finalResponse(q, answers[q.id])]));
    const left = quiz.questions.filter((q) => final[q.id] === undefined).length;
    if (left > 0) {
      setMessage(fill(labels.unanswered, { count: left }));
      return;
    }
    const complete = final as Record<string, QuestionResponse>;
    if (!gradable(quiz)) {
      setAnswers(complete);
      setWaiting(true);
      setMessage(labels.grading);
      submitFinalAssessment(lang, placement, complete, Date.now() - started.current).then(
        (submitted) => {
          attemptId.current = submitted.attempt;
          show(submitted);
        },
        (error: unknown) => {
          setWaiting(false);
          setMessage(error instanceof Error ? error.message : String(error));
        },
      );
      return;
    }
    const { raw, max, passed } = gradeQuiz(quiz, complete);
    setAnswers(complete);
    setResult({ raw, max, passed });
    setMessage('');
    void recordQuizAttempt(lang, quiz, placement, complete, { raw, durationMs: Date.now() - started.current });
  };

  const retry = () => {
    setAnswers({});
    setResult(null);
    setVerdicts(undefined);
    setWaiting(false);
    attemptId.current = null;
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
        verdicts={verdicts}
        busy={waiting}
        message={message}
        onAnswer={(id, r) => setAnswers((a) => ({ ...a, [id]: r }))}
        onSubmit={submit}
        onRetry={retry}
      />
    </div>
  );
}
