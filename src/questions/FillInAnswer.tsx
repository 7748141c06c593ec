import { WholeFeedback, type AnswerProps } from './answer-parts.tsx';
import type { FillInQuestion, PublicFillIn } from './fill-in.ts';

/** Fill-in: a text field; the response is the text as typed. Then the whole answer's feedback once checked. */
export function FillInAnswer(props: AnswerProps<FillInQuestion, PublicFillIn>) {
  const { q, name, response, onAnswer } = props;
  return (
    <>
      <p className="quiz-text-answer">
        <input
          type="text"
          id={`${name}-input`}
          inputMode="text"
          autoComplete="off"
          aria-labelledby={`${name}-prompt ${name}-hint`}
          defaultValue={response === undefined ? '' : String(response)}
          onChange={(e) => onAnswer?.(q.id, e.currentTarget.value)}
        />
      </p>
      <WholeFeedback {...props} />
    </>
  );
}
