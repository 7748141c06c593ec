import type { AnswerComponent } from './answer-parts.tsx';
import type { SiteQuestionType } from './index.ts';
import { UnknownQuestionType } from './registry.ts';
import { MultipleResponseAnswer, SingleChoiceAnswer, TrueFalseAnswer } from './ChoiceAnswer.tsx';
import { MatchingAnswer } from './MatchingAnswer.tsx';
import { SequencingAnswer } from './SequencingAnswer.tsx';
import { NumericAnswer } from './NumericAnswer.tsx';
import { FillInAnswer } from './FillInAnswer.tsx';

// The answer component of each question type, by type name. Apart from src/questions/index.ts
// (which the LRS loads under Node, where .tsx cannot run), this is the one other list of types:
// `satisfies` below fails the type check when a site type has no component.

/** Answer components by question type name. */
export interface AnswerRegistry {
  /**
   * The answer component of a type.
   * @throws UnknownQuestionType when no component is registered for it
   */
  get(type: string): AnswerComponent;
}

/** A registry of answer components, from a map of type name -> component. */
export function answerRegistry(components: Readonly<Record<string, AnswerComponent>>): AnswerRegistry {
  const byName = new Map(Object.entries(components));
  return {
    get(type) {
      const found = byName.get(type);
      if (found === undefined) throw new UnknownQuestionType(type, [...byName.keys()]);
      return found;
    },
  };
}

const site = {
  'single-choice': SingleChoiceAnswer,
  'multiple-response': MultipleResponseAnswer,
  'true-false': TrueFalseAnswer,
  matching: MatchingAnswer,
  sequencing: SequencingAnswer,
  numeric: NumericAnswer,
  'fill-in': FillInAnswer,
} satisfies Record<SiteQuestionType['type'], AnswerComponent>;

/** The answer components of the site's question types. */
export const answers: AnswerRegistry = answerRegistry(site);

/**
 * A new answer registry: the given one plus the component of one more type (with
 * withQuestionType of src/questions/registry.ts, how a test adds a fixture type without changing src).
 */
export function withAnswer(registry: AnswerRegistry, type: string, component: AnswerComponent): AnswerRegistry {
  return {
    get: (name) => (name === type ? component : registry.get(name)),
  };
}
