import { WholeFeedback, say, type AnswerProps } from './answer-parts.tsx';
import type { MatchingQuestion, PublicMatching } from './matching.ts';

/**
 * Matching: one labelled select per source, offering every target; the response maps source
 * ids to the chosen target ids. Then the whole answer's feedback once checked.
 */
export function MatchingAnswer(props: AnswerProps<MatchingQuestion, PublicMatching>) {
  const { q, name, lang, labels, response, onAnswer } = props;
  const pairs = typeof response === 'object' && !Array.isArray(response) ? response : {};
  return (
    <>
      <ul className="quiz-options quiz-matching" role="list">
        {q.sources.map((src) => (
          <li key={src.id}>
            <label htmlFor={`${name}-${src.id}`}>{say(src.text, lang)}</label>
            <select
              id={`${name}-${src.id}`}
              value={pairs[src.id] ?? ''}
              aria-describedby={`${name}-hint`}
              onChange={(e) => onAnswer?.(q.id, { ...pairs, [src.id]: e.currentTarget.value })}
            >
              <option value="">{labels['choose']}</option>
              {q.targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {say(t.text, lang)}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ul>
      <WholeFeedback {...props} />
    </>
  );
}
