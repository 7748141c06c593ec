import type { PublicQuestionOf, QuestionOf } from './question-type.ts';
import { questionRegistry } from './registry.ts';
import { singleChoice } from './single-choice.ts';
import { multipleResponse } from './multiple-response.ts';
import { trueFalse } from './true-false.ts';
import { matching } from './matching.ts';
import { sequencing } from './sequencing.ts';
import { numeric } from './numeric.ts';
import { fillIn } from './fill-in.ts';

// The site's question types: one module each (src/questions/<type>.ts), with its answer
// component beside it (src/questions/answers.ts lists those). Everything that handles questions
// (the quiz schema, grading, statements, answer keys, slides, the quiz island, the LRS's grading
// route) looks types up here. To add one, see docs/authoring.md, "Adding a question type".

/** The question types a quiz may use, in the order the quiz schema tries them. */
export const siteQuestionTypes = [singleChoice, multipleResponse, trueFalse, matching, sequencing, numeric, fillIn] as const;

/** The site's question-type registry. */
export const questionTypes = questionRegistry(siteQuestionTypes);

/** One of the site's question types. */
export type SiteQuestionType = (typeof siteQuestionTypes)[number];

/** A question of any of the site's types, as authored (with its key, all three languages). */
export type Question = QuestionOf<SiteQuestionType>;

/** A question as a final assessment's page receives it: no key, no feedback. */
export type PublicQuestion = PublicQuestionOf<SiteQuestionType>;

export type { QuestionResponse, Words } from './question-type.ts';
export { UnknownQuestionType, withQuestionType, type QuestionRegistry, type RuntimeRegistry } from './registry.ts';
