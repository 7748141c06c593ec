import { useEffect, useRef, useState } from 'react';
import type { Language } from '../../i18n/languages.ts';
import type { InLanguage } from '../../i18n/in-language.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import { finalResponse, gradeQuiz, hasAnswerKey, type QuestionResponse } from '../../lib/grading.ts';
import { ASSESSMENT_EVENT, submitFinalAssessment, type AssessmentEventDetail } from '../../lib/xapi/assessment.ts';
import { recordQuizAttempt, type QuizPlacement } from '../../lib/xapi/tracking.ts';
import { Quiz, fill, type PageQuiz, type QuizLabels, type QuizResult } from './Quiz.tsx';

/**
 * Props of the quiz island: the quiz and its place in the curriculum with their texts in the
 * page's language only (src/components/Quiz.astro reduces them with inLanguage), and resolved
 * UI strings.
 */
export interface QuizIslandProps {
  lang: Language;
  /** A knowledge check with its key, or a final assessment without it (graded by the server). */
  quiz: PageQuiz;
  placement: InLanguage<QuizPlacement>;
  labels: QuizLabels;
}

/** Whether a quiz carries its answer key (a knowledge check), so the browser can grade it. */
const gradable = (quiz: PageQuiz): quiz is InLanguage<QuizData> =>
  quiz.kind === 'knowledge-check' && quiz.questions.every((q) => hasAnswerKey(q));

/**
 * How long "Try again" ignores activation after a result appears, in ms: the second tap of a
 * double tap on "Check my answers" lands on it (issue 13) and must not reset the attempt.
 */
export const RETRY_GUARD_MS = 1000;

/**
 * Where the answers given so far wait in sessionStorage, by quiz id: they do not depend on the
 * language, so switching language mid-quiz (the same quiz on the other language's page) keeps them.
 */
const draftKey = (quizKey: string) => `dce.quiz-draft.${quizKey}`;

/** The answers kept for a quiz in this tab, without values JSON could not keep (NaN becomes null). */
function readDraft(quizKey: string): Record<string, QuestionResponse> | null {
  try {
    const raw = JSON.parse(sessionStorage.getItem(draftKey(quizKey)) ?? 'null') as Record<string, QuestionResponse | null> | null;
    if (raw === null || typeof raw !== 'object') return null;
    const kept = Object.entries(raw).filter((e): e is [string, QuestionResponse] => e[1] !== null);
    return kept.length ? Object.fromEntries(kept) : null;
  } catch {
    return null;
  }
}

function writeDraft(quizKey: string, answers: Record<string, QuestionResponse> | null): void {
  try {
    if (answers && Object.keys(answers).length) sessionStorage.setItem(draftKey(quizKey), JSON.stringify(answers));
    else sessionStorage.removeItem(draftKey(quizKey));
  } catch {
    // Storage full or unavailable: the answers stay on screen, only a language switch would lose them.
  }
}

/**
 * The answers to record (finalResponse of each question's type) and how many questions are
 * still unanswered; `complete` holds every question's answer when `left` is 0.
 */
function finalAnswers(
  quiz: PageQuiz,
  answers: Readonly<Record<string, QuestionResponse>>,
): { complete: Record<string, QuestionResponse>; left: number } {
  const complete: Record<string, QuestionResponse> = {};
  for (const q of quiz.questions) {
    const response = finalResponse(q, answers[q.id]);
    if (response !== undefined) complete[q.id] = response;
  }
  return { complete, left: quiz.questions.length - Object.keys(complete).length };
}

/**
 * The server's side of a final assessment or pre-test attempt: `send` hands the answers to the
 * attempt outbox (submitFinalAssessment in src/lib/xapi/assessment.ts), then the island shows
 * what the server did with them, in its answer or later through the outbox's ASSESSMENT_EVENT:
 * its grade (onGrade, and the verdict of each question), its refusal, or that the answers wait
 * on the device. `waiting` is true from sending until a grade or a refusal; `reset` forgets the
 * attempt (Try again).
 */
function useServerGrade(labels: QuizLabels, setMessage: (message: string) => void, onGrade: (result: QuizResult) => void) {
  const [verdicts, setVerdicts] = useState<Record<string, boolean> | undefined>(undefined);
  const [waiting, setWaiting] = useState(false);
  const attemptId = useRef<string | null>(null);

  /** Show what the server did with the attempt: its grade, its refusal, or that it waits. */
  const show = (d: Omit<AssessmentEventDetail, 'quizKey'>) => {
    if (d.grade) {
      onGrade({ raw: d.grade.raw, max: d.grade.max, passed: d.grade.passed });
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
    const graded = (e: Event) => {
      const detail = (e as CustomEvent<AssessmentEventDetail>).detail;
      if (detail.attempt === attemptId.current) show(detail);
    };
    window.addEventListener(ASSESSMENT_EVENT, graded);
    return () => window.removeEventListener(ASSESSMENT_EVENT, graded);
  }, []);

  const send = (lang: Language, placement: InLanguage<QuizPlacement>, complete: Record<string, QuestionResponse>, durationMs: number) => {
    setWaiting(true);
    setMessage(labels.grading);
    submitFinalAssessment(lang, placement, complete, durationMs).then(
      (submitted) => {
        attemptId.current = submitted.attempt;
        show(submitted);
      },
      (error: unknown) => {
        setWaiting(false);
        setMessage(error instanceof Error ? error.message : String(error));
      },
    );
  };

  const reset = () => {
    setVerdicts(undefined);
    setWaiting(false);
    attemptId.current = null;
  };
  return { verdicts, waiting, send, reset };
}

/**
 * The quiz's hydrated shell: holds the answers and the attempt. A knowledge check is graded here
 * at once and recorded as xAPI statements through the outbox ("answered" per question, then
 * "passed"/"failed", then "completed" where earned). A final assessment is sent to the server
 * through the attempt outbox (src/lib/xapi/assessment.ts), which grades it and writes its
 * statements: the island shows the server's grade when it comes, and offline says the answers are
 * saved and will be graded back online. Retry clears the answers and starts a new attempt's clock;
 * it ignores activation for RETRY_GUARD_MS after a result appears. The answers given so far are
 * kept in sessionStorage per quiz id until the attempt is checked, and restored on hydration (a
 * language switch mid-quiz loses nothing).
 */
export default function QuizIsland({ lang, quiz, placement, labels }: QuizIslandProps) {
  const [answers, setAnswers] = useState<Record<string, QuestionResponse>>({});
  const [result, setResult] = useState<QuizResult | null>(null);
  const [message, setMessage] = useState('');
  const [attempt, setAttempt] = useState(0);
  const started = useRef(Date.now());
  const shownAt = useRef(0);
  const root = useRef<HTMLDivElement>(null);
  const server = useServerGrade(labels, setMessage, (graded) => {
    shownAt.current = Date.now();
    setResult(graded);
  });

  useEffect(() => {
    started.current = Date.now();
    // After hydration (the server's HTML has no answers): the answers given on this quiz's page
    // in another language. The new key remounts the form so that text fields show them too.
    const draft = readDraft(placement.quizKey);
    if (draft) {
      setAnswers(draft);
      setAttempt((n) => n + 1);
    }
    root.current?.setAttribute('data-hydrated', 'true');
  }, []);

  const submit = () => {
    const { complete, left } = finalAnswers(quiz, answers);
    if (left > 0) return setMessage(fill(labels.unanswered, { count: left }));
    writeDraft(placement.quizKey, null);
    if (!gradable(quiz)) {
      setAnswers(complete);
      server.send(lang, placement, complete, Date.now() - started.current);
      return;
    }
    const { raw, max, passed } = gradeQuiz(quiz, complete);
    setAnswers(complete);
    shownAt.current = Date.now();
    setResult({ raw, max, passed });
    setMessage('');
    void recordQuizAttempt(lang, quiz, placement, complete, { raw, durationMs: Date.now() - started.current });
  };

  const retry = () => {
    if (Date.now() - shownAt.current < RETRY_GUARD_MS) return;
    writeDraft(placement.quizKey, null);
    setAnswers({});
    setResult(null);
    server.reset();
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
        verdicts={server.verdicts}
        busy={server.waiting}
        message={message}
        onAnswer={(id, r) =>
          setAnswers((a) => {
            const next = { ...a, [id]: r };
            writeDraft(placement.quizKey, next);
            return next;
          })
        }
        onSubmit={submit}
        onRetry={retry}
      />
    </div>
  );
}
