import { useState } from 'react';
import { formatNumberDisplay, formatNumberInput, parseLocaleNumber } from '../lib/number-input.ts';
import { WholeFeedback, fill, say, type AnswerProps } from './answer-parts.tsx';
import type { NumericQuestion, PublicNumeric } from './numeric.ts';

/**
 * Numeric: a text field that reads the number as the quiz's language writes it
 * (parseLocaleNumber in src/lib/number-input.ts) and, when the text reads two ways ("24,000" in
 * French), records no answer (NaN) and asks the learner which value they meant; the unit after
 * it. Then the whole answer's feedback once checked.
 */
export function NumericAnswer(props: AnswerProps<NumericQuestion, PublicNumeric>) {
  const { q, name, lang, labels, response, onAnswer } = props;
  const [ambiguous, setAmbiguous] = useState<[number, number] | null>(null);
  const noteId = `${name}-number-note`;
  return (
    <>
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
            {' '}
            {fill(labels['numberAmbiguous'] ?? '', {
              first: formatNumberDisplay(ambiguous[0], lang),
              second: formatNumberDisplay(ambiguous[1], lang),
            })}
          </span>
        )}
      </p>
      <WholeFeedback {...props} />
    </>
  );
}
