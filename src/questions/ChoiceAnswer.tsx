import type { QuestionResponse } from './question-type.ts';
import { say, type AnswerProps } from './answer-parts.tsx';
import type { PublicSingleChoice, SingleChoiceQuestion } from './single-choice.ts';
import type { MultipleResponseQuestion, PublicMultipleResponse } from './multiple-response.ts';
import type { PublicTrueFalse, TrueFalseQuestion } from './true-false.ts';

// The answer components of the three option-list types: radio buttons (single choice,
// true/false) or checkboxes (multiple response), each chosen option's feedback once checked.

/** One option as shown: its text, and whether it is right and its feedback when the question holds its key. */
interface ShownOption {
  id: string;
  text: string;
  feedback?: string;
  right?: boolean;
}

function chosen(response: QuestionResponse | undefined, optionId: string): boolean {
  if (response === undefined) return false;
  return Array.isArray(response) ? response.includes(optionId) : String(response) === optionId;
}

/** The list of options with its inputs; `pick` turns a change into the new response. */
function OptionList(
  props: Omit<AnswerProps, 'q' | 'labels' | 'right'> & {
    questionId: string;
    options: ShownOption[];
    input: 'radio' | 'checkbox';
    pick: (optionId: string, checked: boolean) => QuestionResponse;
  },
) {
  const { questionId, options, input, name, response, locked, onAnswer, pick } = props;
  return (
    <ul className="quiz-options" role="list">
      {options.map((o) => {
        const isChosen = chosen(response, o.id);
        return (
          <li key={o.id} className={locked && isChosen && o.right !== undefined ? (o.right ? 'is-right' : 'is-wrong') : undefined}>
            <label>
              <input
                type={input}
                name={name}
                value={o.id}
                checked={isChosen}
                aria-describedby={`${name}-hint`}
                onChange={(e) => onAnswer?.(questionId, pick(o.id, e.currentTarget.checked))}
              />{' '}
              {o.text}
            </label>
            {locked && isChosen && o.feedback && <p className="quiz-feedback">{o.feedback}</p>}
          </li>
        );
      })}
    </ul>
  );
}

/** The options of a choice question, with their key and feedback when it holds them. */
function shownOptions(
  q: AnswerProps<SingleChoiceQuestion | MultipleResponseQuestion, PublicSingleChoice | PublicMultipleResponse>['q'],
  lang: AnswerProps['lang'],
): ShownOption[] {
  if (!('correct' in q)) return q.options.map((o) => ({ id: o.id, text: say(o.text, lang) }));
  const correct = typeof q.correct === 'string' ? [q.correct] : q.correct;
  return q.options.map((o) => ({ id: o.id, text: say(o.text, lang), feedback: say(o.feedback, lang), right: correct.includes(o.id) }));
}

/** Single choice: radio buttons; the response is [chosen id]. */
export function SingleChoiceAnswer(props: AnswerProps<SingleChoiceQuestion, PublicSingleChoice>) {
  return <OptionList {...props} questionId={props.q.id} options={shownOptions(props.q, props.lang)} input="radio" pick={(id) => [id]} />;
}

/** Multiple response: checkboxes; the response is the chosen ids, in the order chosen. */
export function MultipleResponseAnswer(props: AnswerProps<MultipleResponseQuestion, PublicMultipleResponse>) {
  const current = Array.isArray(props.response) ? props.response : [];
  const pick = (id: string, checked: boolean) => (checked ? [...current, id] : current.filter((x) => x !== id));
  return <OptionList {...props} questionId={props.q.id} options={shownOptions(props.q, props.lang)} input="checkbox" pick={pick} />;
}

/** True/false: two radio buttons, True and False in the page's language; the response is a boolean. */
export function TrueFalseAnswer(props: AnswerProps<TrueFalseQuestion, PublicTrueFalse>) {
  const { q, lang, labels } = props;
  const words = { true: labels['true'] ?? '', false: labels['false'] ?? '' };
  const options: ShownOption[] =
    'answer' in q
      ? [
          { id: 'true', text: words.true, feedback: say(q.feedback.true, lang), right: q.answer },
          { id: 'false', text: words.false, feedback: say(q.feedback.false, lang), right: !q.answer },
        ]
      : [
          { id: 'true', text: words.true },
          { id: 'false', text: words.false },
        ];
  return <OptionList {...props} questionId={q.id} options={options} input="radio" pick={(id) => id === 'true'} />;
}
