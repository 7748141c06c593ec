import type { Language } from '../../i18n/languages.ts';
import type { InLanguage } from '../../i18n/in-language.ts';
import type { Question, QuizData } from '../../schemas/quiz.ts';
import {
  answerKeyCheck,
  hasAnswerKey as siteHasAnswerKey,
  isCorrect,
  type PublicQuestion,
  type PublicQuiz,
  type QuestionResponse,
} from '../../lib/grading.ts';
import type { RuntimeRegistry } from '../../questions/index.ts';
import { questionRuntimes } from '../../questions/runtime.ts';
import { answers as siteAnswers, type AnswerRegistry } from '../../questions/answers.ts';
import { fill, say } from '../../questions/answer-parts.tsx';

/**
 * A quiz as a page ships it: its texts in the page's language only (inLanguage in
 * src/i18n/in-language.ts); a knowledge check with its answer key, or a final assessment without.
 */
export type PageQuiz = InLanguage<QuizData> | InLanguage<PublicQuiz>;
/** One question of a PageQuiz. */
export type PageQuestion = InLanguage<Question> | InLanguage<PublicQuestion>;

export { fill };

/** UI strings of the quiz, resolved at build time in the page's language ({{x}} placeholders kept). */
export interface QuizLabels {
  question: string;
  submit: string;
  retry: string;
  passMark: string;
  score: string;
  passed: string;
  failed: string;
  correct: string;
  incorrect: string;
  unanswered: string;
  /**
   * The strings of each question type the quiz uses, by type name: its hint and those its answer
   * component reads (questionStrings in src/questions/registry.ts).
   */
  types: Record<string, Record<string, string>>;
  position: string;
  unit: string;
  /** While the server grades a final assessment. */
  grading: string;
  /** Offline: the final assessment waits on the device for the server. */
  gradingPending: string;
  /** The server refused to grade the attempt; {{reason}} is its message. */
  gradingRefused: string;
  /** A pre-test's note in place of the pass mark: no pass mark, score shown, correct answers not. */
  pretestNote: string;
  /** After a pre-test's score: it is recorded, go on to the lessons. */
  pretestDone: string;
}

/** The outcome of a checked attempt. */
export interface QuizResult {
  raw: number;
  max: number;
  passed: boolean;
}

/** Props of the presentational quiz: everything it shows, and callbacks for what the learner does. */
export interface QuizProps {
  /** Unique prefix for element ids and input names, e.g. the quiz id. */
  idPrefix: string;
  lang: Language;
  /**
   * The quiz, its texts in the page's language; a final assessment comes without its answer key
   * (see publicQuiz in src/lib/grading.ts).
   */
  quiz: PageQuiz;
  labels: QuizLabels;
  /**
   * Whether each question was answered correctly, by question id, when someone else graded the
   * attempt (the server, for a final assessment); otherwise the quiz's own key decides.
   */
  verdicts?: Readonly<Record<string, boolean>> | undefined;
  /** The learner's current answers by question id. */
  answers: Record<string, QuestionResponse>;
  /** Set once the attempt is checked: feedback and score are shown, inputs are locked. */
  result: QuizResult | null;
  /** A message for the live region (e.g. unanswered questions), or empty. */
  message: string;
  /** While the answers wait for the server's grade: inputs and the submit button are locked. */
  busy?: boolean | undefined;
  onAnswer?: (questionId: string, response: QuestionResponse) => void;
  onSubmit?: () => void;
  onRetry?: () => void;
  /** The question types (the site's unless given; a test adds a fixture type). */
  registry?: RuntimeRegistry | undefined;
  /** Their answer components (the site's unless given). */
  answerComponents?: AnswerRegistry | undefined;
}

/**
 * A quiz as a real form: one fieldset per question with its legend, its type's hint and answer
 * component (src/questions/answers.ts: radio buttons, checkboxes, selects, move buttons or a
 * text field, with the feedback once checked), and the score in a live region. Pure: state
 * lives in QuizIsland. Rendered on the server too, so the questions read well before hydration.
 * @throws UnknownQuestionType for a question whose type the registry or the answer components lack
 */
export function Quiz(props: QuizProps) {
  const { idPrefix, lang, quiz, labels, answers, result, message } = props;
  const registry = props.registry ?? questionRuntimes;
  const hasAnswerKey = registry === questionRuntimes ? siteHasAnswerKey : answerKeyCheck(registry);
  const total = quiz.questions.length;
  const locked = result !== null;
  const busy = props.busy === true && !locked;

  // Once checked, "Try again" is a separate, plain button: submitting the form again (a second
  // tap on "Check my answers", Enter in a field) never resets the attempt.
  const submit = (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (!locked) props.onSubmit?.();
  };

  // A pre-test (issue 15) has no pass mark and shows the score only: no verdict per question, no
  // passed or failed, no retry, so that the final assessment still measures what was learned.
  const preTest = quiz.kind === 'pre-test';
  return (
    <form className="quiz" onSubmit={submit} noValidate aria-describedby={`${idPrefix}-passmark`}>
      <p id={`${idPrefix}-passmark`} className="quiz-passmark">
        {preTest ? labels.pretestNote : fill(labels.passMark, { percent: Math.round(quiz.passMark * 100) }, lang)}
      </p>
      {quiz.questions.map((q, i) => {
        const response = answers[q.id];
        const name = `${idPrefix}-${q.id}`;
        const type = registry.get(q);
        const Answer = (props.answerComponents ?? siteAnswers).get(q.type);
        const typeLabels = labels.types[q.type];
        if (typeLabels === undefined) throw new Error(`labels.types has no strings for question type "${q.type}"`);
        const keyed = hasAnswerKey(q);
        const right =
          locked && (props.verdicts ? props.verdicts[q.id] === true : response !== undefined && keyed && isCorrect(q, response, registry));
        return (
          <fieldset key={q.id} className="quiz-question" data-question={q.id} disabled={locked || busy}>
            <legend>
              <span className="quiz-number">{fill(labels.question, { number: i + 1, total }, lang)}</span>{' '}
              <span className="quiz-prompt" id={`${name}-prompt`}>
                {say(q.prompt, lang)}
              </span>
            </legend>
            <p className="quiz-hint" id={`${name}-hint`}>
              {typeLabels['hint']}
            </p>
            {/*
              The verdict, said once per question (issue 13). Authored feedback starts with it
              ("Correct. …", content/quizzes/*.yaml), so a question with one feedback shown (the
              chosen option's, or the whole answer's) lets the feedback say it; a final
              assessment (no feedback) and a type whose feedback is per chosen option (multiple
              response: feedbackSaysVerdict false) get it here.
            */}
            {locked && !preTest && !(keyed && type.feedbackSaysVerdict) && (
              <p className={right ? 'quiz-verdict is-right' : 'quiz-verdict is-wrong'}>{right ? labels.correct : labels.incorrect}</p>
            )}
            <Answer
              q={q}
              name={name}
              lang={lang}
              labels={typeLabels}
              response={response}
              locked={locked}
              right={right}
              onAnswer={props.onAnswer}
            />
          </fieldset>
        );
      })}
      <QuizFooter lang={lang} labels={labels} result={result} message={message} preTest={preTest} busy={busy} onRetry={props.onRetry} />
    </form>
  );
}

/** The score in a live region, then "Try again" once checked (never for a pre-test) or "Check my answers". */
function QuizFooter(props: {
  lang: Language;
  labels: QuizLabels;
  result: QuizResult | null;
  message: string | undefined;
  preTest: boolean;
  busy: boolean;
  onRetry?: (() => void) | undefined;
}) {
  const { lang, labels, result, message, preTest, busy } = props;
  const locked = result !== null;
  const percent = result ? Math.round((result.raw / result.max) * 100) : 0;
  return (
    <>
      <div className="quiz-status" role="status" aria-live="polite">
        {result && preTest ? (
          <p className="quiz-outcome">
            {fill(labels.score, { raw: result.raw, max: result.max, percent }, lang)} {labels.pretestDone}
          </p>
        ) : result ? (
          <p className={result.passed ? 'quiz-outcome is-passed' : 'quiz-outcome is-failed'}>
            {fill(labels.score, { raw: result.raw, max: result.max, percent }, lang)} {result.passed ? labels.passed : labels.failed}
          </p>
        ) : (
          message && <p>{message}</p>
        )}
      </div>
      {locked && preTest ? null : locked ? (
        <button key="retry" type="button" className="button secondary" data-quiz-retry onClick={() => props.onRetry?.()}>
          {labels.retry}
        </button>
      ) : (
        <button key="submit" type="submit" className="button" disabled={busy}>
          {labels.submit}
        </button>
      )}
    </>
  );
}
