import { runtimeRegistry } from './registry.ts';
import { singleChoiceRuntime } from './single-choice.ts';
import { multipleResponseRuntime } from './multiple-response.ts';
import { trueFalseRuntime } from './true-false.ts';
import { matchingRuntime } from './matching.ts';
import { sequencingRuntime } from './sequencing.ts';
import { numericRuntime } from './numeric.ts';
import { fillInRuntime } from './fill-in.ts';

// The site's question types as the browser's code needs them: the runtime part of each type in
// src/questions/index.ts, in the same order. Grading, statements and the quiz look types up here,
// so a page's scripts carry no schema, answer-key or slide code (tests/e2e/budgets.spec.ts).

/** The site's runtime registry. */
export const questionRuntimes = runtimeRegistry([
  singleChoiceRuntime,
  multipleResponseRuntime,
  trueFalseRuntime,
  matchingRuntime,
  sequencingRuntime,
  numericRuntime,
  fillInRuntime,
]);
