import { flushSync } from 'react-dom';
import { WholeFeedback, say, type AnswerProps } from './answer-parts.tsx';
import { sequenceOf, type PublicSequencing, type SequencingQuestion } from './sequencing.ts';

/**
 * Sequencing: the items in the learner's current order (sequenceOf), each with Move up and
 * Move down buttons; the response is the item ids in that order. Then the whole answer's
 * feedback once checked.
 */
export function SequencingAnswer(props: AnswerProps<SequencingQuestion, PublicSequencing>) {
  const { q, lang, labels, response, onAnswer } = props;
  const order = sequenceOf(q, response);
  const [moveUp, moveDown] = [labels['moveUp'] ?? '', labels['moveDown'] ?? ''];
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
    <>
      <ol className="quiz-options quiz-sequence">
        {order.map((itemId, index) => {
          const found = q.items.find((it) => it.id === itemId);
          const text = found ? say(found.text, lang) : itemId;
          return (
            <li key={itemId} data-item={itemId}>
              <span className="quiz-item-text">{text}</span>
              <span className="quiz-move">
                <button
                  type="button"
                  className="link-button"
                  data-move="up"
                  disabled={index === 0}
                  aria-label={`${moveUp}: ${text}`}
                  onClick={(e) => move(e.currentTarget.closest('ol'), itemId, index, index - 1)}
                >
                  ↑ {moveUp}
                </button>{' '}
                <button
                  type="button"
                  className="link-button"
                  data-move="down"
                  disabled={index === order.length - 1}
                  aria-label={`${moveDown}: ${text}`}
                  onClick={(e) => move(e.currentTarget.closest('ol'), itemId, index, index + 1)}
                >
                  ↓ {moveDown}
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <WholeFeedback {...props} />
    </>
  );
}
