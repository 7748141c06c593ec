import type { Language } from '../../i18n/languages.ts';
import { fill } from '../../i18n/format.ts';
import type { InLanguage, LanguageMap } from '../../i18n/in-language.ts';
import type { Question, QuizData } from '../../schemas/quiz.ts';
import { useState } from 'react';
import { flushSync } from 'react-dom';
import { hasAnswerKey, isCorrect, sequenceOf, type PublicQuestion, type PublicQuiz, type QuestionResponse } from '../../lib/grading.ts';
import { formatNumberDisplay, formatNumberInput, parseLocaleNumber } from '../../lib/number-input.ts';

/**
 * A quiz as a page ships it: its texts in the page's language only (inLanguage in
 * src/i18n/in-language.ts); a knowledge check with its answer key, or a final assessment without.
 */
export type PageQuiz = InLanguage<QuizData> | InLanguage<PublicQuiz>;
/** One question of a PageQuiz. */
export type PageQuestion = InLanguage<Question> | InLanguage<PublicQuestion>;

/** The text of a language map in the page's language ("" when it lacks it). */
const say = (text: LanguageMap | undefined, lang: Language): string => text?.[lang] ?? '';

export { sequenceOf };

/** UI strings of the quiz, resolved at build time in the page's language ({{x}} placeholders kept). */
export interface QuizLabels {
  question: string;
  singleChoiceHint: string;
  multipleResponseHint: string;
  trueFalseHint: string;
  true: string;
  false: string;
  submit: string;
  retry: string;
  passMark: string;
  score: string;
  passed: string;
  failed: string;
  correct: string;
  incorrect: string;
  unanswered: string;
  matchingHint: string;
  sequencingHint: string;
  numericHint: string;
  /** A typed number reads two ways; {{first}} and {{second}} are the two values, written in the quiz's language. */
  numberAmbiguous: string;
  fillInHint: string;
  choose: string;
  moveUp: string;
  moveDown: string;
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
}

// Placeholders are filled by the one formatting helper (src/i18n/format.ts); re-exported for the island.
export { fill };

function chosen(response: QuestionResponse | undefined, optionId: string): boolean {
  if (response === undefined) return false;
  return Array.isArray(response) ? response.includes(optionId) : String(response) === optionId;
}

type ChoiceQuestion = Extract<PageQuestion, { type: 'single-choice' | 'multiple-response' | 'true-false' }>;

/** The options shown, with whether each is right and its feedback when the quiz holds its key. */
function optionsOf(q: ChoiceQuestion, lang: Language, labels: QuizLabels): { id: string; text: string; feedback?: string; right?: boolean }[] {
  if (!hasAnswerKey(q)) {
    return q.type === 'true-false'
      ? [{ id: 'true', text: labels.true }, { id: 'false', text: labels.false }]
      : q.options.map((o) => ({ id: o.id, text: say(o.text, lang) }));
  }
  if (q.type === 'true-false')
    return [
      { id: 'true', text: labels.true, feedback: say(q.feedback.true, lang), right: q.answer },
      { id: 'false', text: labels.false, feedback: say(q.feedback.false, lang), right: !q.answer },
    ];
  const correct = q.type === 'single-choice' ? [q.correct] : q.correct;
  return q.options.map((o) => ({ id: o.id, text: say(o.text, lang), feedback: say(o.feedback, lang), right: correct.includes(o.id) }));
}

type WholeQuestion = Extract<PageQuestion, { type: 'matching' | 'sequencing' | 'numeric' | 'fill-in' }>;

function hintOf(q: PageQuestion, labels: QuizLabels): string {
  switch (q.type) {
    case 'multiple-response': return labels.multipleResponseHint;
    case 'true-false': return labels.trueFalseHint;
    case 'matching': return labels.matchingHint;
    case 'sequencing': return labels.sequencingHint;
    case 'numeric': return labels.numericHint;
    case 'fill-in': return labels.fillInHint;
    default: return labels.singleChoiceHint;
  }
}

/**
 * The text field of a numeric question. It reads the number as the quiz's language writes it
 * (parseLocaleNumber in src/lib/number-input.ts) and, when the text reads two ways ("24,000" in
 * French), records no answer and asks the learner which value they meant.
 */
function NumericAnswer(props: {
  q: Extract<WholeQuestion, { type: 'numeric' }>;
  name: string;
  lang: Language;
  labels: QuizLabels;
  response: QuestionResponse | undefined;
  onAnswer?: ((questionId: string, response: QuestionResponse) => void) | undefined;
}) {
  const { q, name, lang, labels, response, onAnswer } = props;
  const [ambiguous, setAmbiguous] = useState<[number, number] | null>(null);
  const noteId = `${name}-number-note`;
  return (
    <p className="quiz-text-answer">
      <input
        type="text"
        id={`${name}-input`}
        inputMode="decimal"
        autoComplete="off"
        aria-labelledby={`${name}-prompt ${name}-hint`}
        aria-describedby={ambiguous ? noteId : undefined}
        aria-invalid={ambiguous ? true : undefined}
        defaultValue={typeof response === 'number' && Number.isFinite(response) ? formatNumberInput(response, lang) : ''}
        onChange={(e) => {
          const parsed = parseLocaleNumber(e.currentTarget.value, lang);
          setAmbiguous(parsed.kind === 'ambiguous' ? parsed.values : null);
          onAnswer?.(q.id, parsed.kind === 'number' ? parsed.value : Number.NaN);
        }}
      />
      {q.unit && <span className="quiz-unit"> {say(q.unit, lang)}</span>}
      {ambiguous && (
        <span id={noteId} className="quiz-number-note" role="alert">
          {' '}{fill(labels.numberAmbiguous, { first: formatNumberDisplay(ambiguous[0], lang), second: formatNumberDisplay(ambiguous[1], lang) })}
        </span>
      )}
    </p>
  );
}

/** The controls of a question answered as a whole: selects, move buttons or a text field. */
function WholeAnswer(props: {
  q: WholeQuestion;
  name: string;
  lang: Language;
  labels: QuizLabels;
  response: QuestionResponse | undefined;
  onAnswer?: ((questionId: string, response: QuestionResponse) => void) | undefined;
}) {
  const { q, name, lang, labels, response, onAnswer } = props;
  const describedBy = `${name}-hint`;
  if (q.type === 'matching') {
    const pairs = typeof response === 'object' && !Array.isArray(response) ? response : {};
    return (
      <ul className="quiz-options quiz-matching" role="list">
        {q.sources.map((src) => (
          <li key={src.id}>
            <label htmlFor={`${name}-${src.id}`}>{say(src.text, lang)}</label>
            <select
              id={`${name}-${src.id}`}
              value={pairs[src.id] ?? ''}
              aria-describedby={describedBy}
              onChange={(e) => onAnswer?.(q.id, { ...pairs, [src.id]: e.currentTarget.value })}
            >
              <option value="">{labels.choose}</option>
              {q.targets.map((t) => <option key={t.id} value={t.id}>{say(t.text, lang)}</option>)}
            </select>
          </li>
        ))}
      </ul>
    );
  }
  if (q.type === 'sequencing') {
    const order = sequenceOf(q, response);
    // The moved item keeps the focus: on the button pressed, or on its other one once the item
    // reaches the first or last place (that button is then disabled; focus must not fall to <body>).
    const move = (list: HTMLOListElement | null, itemId: string, from: number, to: number) => {
      const next = [...order];
      const [moved] = next.splice(from, 1);
      next.splice(to, 0, moved as string);
      // flushSync renders the new order now, so the buttons read below are the ones on screen
      // (a timer raced React's render on a loaded machine and focused a stale button).
      flushSync(() => onAnswer?.(q.id, next));
      const buttons = [...(list?.querySelectorAll<HTMLButtonElement>(`li[data-item="${CSS.escape(itemId)}"] button`) ?? [])];
      const [pressed, other] = to < from ? buttons : [...buttons].reverse();
      (pressed && !pressed.disabled ? pressed : other)?.focus();
    };
    return (
      <ol className="quiz-options quiz-sequence">
        {order.map((itemId, index) => {
          const found = q.items.find((it) => it.id === itemId);
          const text = found ? say(found.text, lang) : itemId;
          return (
            <li key={itemId} data-item={itemId}>
              <span className="quiz-item-text">{text}</span>
              <span className="quiz-move">
                <button type="button" className="link-button" data-move="up" disabled={index === 0} aria-label={`${labels.moveUp}: ${text}`} onClick={(e) => move(e.currentTarget.closest('ol'), itemId, index, index - 1)}>↑ {labels.moveUp}</button>{' '}
                <button type="button" className="link-button" data-move="down" disabled={index === order.length - 1} aria-label={`${labels.moveDown}: ${text}`} onClick={(e) => move(e.currentTarget.closest('ol'), itemId, index, index + 1)}>↓ {labels.moveDown}</button>
              </span>
            </li>
          );
        })}
      </ol>
    );
  }
  if (q.type === 'numeric') return <NumericAnswer q={q} name={name} lang={lang} labels={labels} response={response} onAnswer={onAnswer} />;
  const value = response === undefined ? '' : String(response);
  return (
    <p className="quiz-text-answer">
      <input
        type="text"
        id={`${name}-input`}
        inputMode="text"
        autoComplete="off"
        aria-labelledby={`${name}-prompt ${name}-hint`}
        defaultValue={value}
        onChange={(e) => onAnswer?.(q.id, e.currentTarget.value)}
      />
    </p>
  );
}

/**
 * A quiz as a real form: one fieldset per question with its legend, radio buttons (single
 * choice, true/false) or checkboxes (multiple response), feedback for each chosen option once
 * checked, and the score in a live region. Pure: state lives in QuizIsland. Rendered on the
 * server too, so the questions read well before hydration.
 */
export function Quiz(props: QuizProps) {
  const { idPrefix, lang, quiz, labels, answers, result, message } = props;
  const total = quiz.questions.length;
  const locked = result !== null;
  const busy = props.busy === true && !locked;

  const change = (q: PageQuestion, optionId: string, checked: boolean) => {
    if (q.type !== 'single-choice' && q.type !== 'multiple-response' && q.type !== 'true-false') return;
    if (q.type === 'true-false') return props.onAnswer?.(q.id, optionId === 'true');
    if (q.type === 'single-choice') return props.onAnswer?.(q.id, [optionId]);
    const current = Array.isArray(answers[q.id]) ? (answers[q.id] as string[]) : [];
    props.onAnswer?.(q.id, checked ? [...current, optionId] : current.filter((x) => x !== optionId));
  };

  // Once checked, "Try again" is a separate, plain button: submitting the form again (a second
  // tap on "Check my answers", Enter in a field) never resets the attempt.
  const submit = (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (!locked) props.onSubmit?.();
  };

  const percent = result ? Math.round((result.raw / result.max) * 100) : 0;
  // A pre-test (issue 15) has no pass mark and shows the score only: no verdict per question, no
  // passed or failed, no retry, so that the final assessment still measures what was learned.
  const preTest = quiz.kind === 'pre-test';
  return (
    <form className="quiz" onSubmit={submit} noValidate aria-describedby={`${idPrefix}-passmark`}>
      <p id={`${idPrefix}-passmark`} className="quiz-passmark">
        {preTest ? labels.pretestNote : fill(labels.passMark, { percent: Math.round(quiz.passMark * 100) })}
      </p>
      {quiz.questions.map((q, i) => {
        const response = answers[q.id];
        const name = `${idPrefix}-${q.id}`;
        const right = locked && (props.verdicts ? props.verdicts[q.id] === true : response !== undefined && hasAnswerKey(q) && isCorrect(q, response));
        return (
          <fieldset key={q.id} className="quiz-question" data-question={q.id} disabled={locked || busy}>
            <legend>
              <span className="quiz-number">{fill(labels.question, { number: i + 1, total })}</span>{' '}
              <span className="quiz-prompt" id={`${name}-prompt`}>{say(q.prompt, lang)}</span>
            </legend>
            <p className="quiz-hint" id={`${name}-hint`}>{hintOf(q, labels)}</p>
            {/*
              The verdict, said once per question (issue 13). Authored feedback starts with it
              ("Correct. …", content/quizzes/*.yaml), so a question with one feedback shown (the
              chosen option's, or the whole answer's) lets the feedback say it; a final
              assessment (no feedback) and a multiple-response question (one feedback per chosen
              option, each about that option) get it here.
            */}
            {locked && !preTest && !(hasAnswerKey(q) && q.type !== 'multiple-response') && (
              <p className={right ? 'quiz-verdict is-right' : 'quiz-verdict is-wrong'}>{right ? labels.correct : labels.incorrect}</p>
            )}
            {q.type === 'single-choice' || q.type === 'multiple-response' || q.type === 'true-false' ? (
              <ul className="quiz-options" role="list">
                {optionsOf(q, lang, labels).map((o) => {
                  const isChosen = chosen(response, o.id);
                  return (
                    <li key={o.id} className={locked && isChosen && o.right !== undefined ? (o.right ? 'is-right' : 'is-wrong') : undefined}>
                      <label>
                        <input
                          type={q.type === 'multiple-response' ? 'checkbox' : 'radio'}
                          name={name}
                          value={o.id}
                          checked={isChosen}
                          aria-describedby={`${name}-hint`}
                          onChange={(e) => change(q, o.id, e.currentTarget.checked)}
                        />{' '}
                        {o.text}
                      </label>
                      {locked && isChosen && o.feedback && <p className="quiz-feedback">{o.feedback}</p>}
                    </li>
                  );
                })}
              </ul>
            ) : (
              <>
                <WholeAnswer q={q} name={name} lang={lang} labels={labels} response={response} onAnswer={props.onAnswer} />
                {locked && hasAnswerKey(q) && (
                  <p className={right ? 'quiz-feedback is-right' : 'quiz-feedback is-wrong'}>{say(q.feedback[right ? 'correct' : 'incorrect'], lang)}</p>
                )}
              </>
            )}
          </fieldset>
        );
      })}
      <div className="quiz-status" role="status" aria-live="polite">
        {result && preTest ? (
          <p className="quiz-outcome">
            {fill(labels.score, { raw: result.raw, max: result.max, percent })} {labels.pretestDone}
          </p>
        ) : result ? (
          <p className={result.passed ? 'quiz-outcome is-passed' : 'quiz-outcome is-failed'}>
            {fill(labels.score, { raw: result.raw, max: result.max, percent })} {result.passed ? labels.passed : labels.failed}
          </p>
        ) : (
          message && <p>{message}</p>
        )}
      </div>
      {locked && preTest ? null : locked ? (
        <button key="retry" type="button" className="button secondary" data-quiz-retry onClick={() => props.onRetry?.()}>{labels.retry}</button>
      ) : (
        <button key="submit" type="submit" className="button" disabled={busy}>{labels.submit}</button>
      )}
    </form>
  );
}
