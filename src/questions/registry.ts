import type { AnyQuestionRuntime, AnyQuestionType, QuestionBase } from './question-type.ts';

/** A question whose type no registry entry has: a content or programming error, never skipped. */
export class UnknownQuestionType extends Error {
  constructor(type: unknown, known: readonly string[]) {
    super(`unknown question type "${String(type)}" (the registry has ${known.join(', ')}; see src/questions/index.ts)`);
    this.name = 'UnknownQuestionType';
  }
}

/** The question types a quiz may use: a non-empty list, each name once. */
export type QuestionTypeList = readonly [AnyQuestionType, ...AnyQuestionType[]];

/**
 * A set of question types, looked up by name. The site's is `questionTypes`
 * (src/questions/index.ts); a test extends it with withQuestionType.
 */
export interface QuestionRegistry<T extends QuestionTypeList = QuestionTypeList> {
  /** The types, in the order their schemas are tried. */
  readonly types: T;
  /**
   * The type of a question, or of a type name.
   * @throws UnknownQuestionType when no entry has that name
   */
  get(question: Pick<QuestionBase, 'type'> | string): AnyQuestionType;
}

/**
 * A registry of question types.
 * @param types the types; their names must differ
 * @throws Error naming a type listed twice
 */
export function questionRegistry<T extends QuestionTypeList>(types: T): QuestionRegistry<T> {
  return { types, get: lookup<AnyQuestionType>(types) };
}

/**
 * The question types as the browser's code needs them (QuestionRuntime: grading, patterns,
 * interactions): any QuestionRegistry is one too. The site's is `questionRuntimes`
 * (src/questions/runtime.ts).
 */
export interface RuntimeRegistry {
  /**
   * The type of a question, or of a type name.
   * @throws UnknownQuestionType when no entry has that name
   */
  get(question: Pick<QuestionBase, 'type'> | string): AnyQuestionRuntime;
}

/**
 * A runtime registry of question types.
 * @throws Error naming a type listed twice
 */
export function runtimeRegistry(types: readonly AnyQuestionRuntime[]): RuntimeRegistry {
  return { get: lookup<AnyQuestionRuntime>(types) };
}

/** Look a type up by name; a name listed twice is an error, an unknown one UnknownQuestionType. */
function lookup<E extends { type: string }>(types: readonly E[]): (question: Pick<QuestionBase, 'type'> | string) => E {
  const byName = new Map<string, E>();
  for (const t of types) {
    if (byName.has(t.type)) throw new Error(`question type "${t.type}" is registered twice`);
    byName.set(t.type, t);
  }
  const names = [...byName.keys()];
  return (question) => {
    const name = typeof question === 'string' ? question : question.type;
    const found = byName.get(name);
    if (found === undefined) throw new UnknownQuestionType(name, names);
    return found;
  };
}

/**
 * A new registry: the given one plus one more type (the registration seam: a test adds a
 * fixture type without changing src; the site lists its own in src/questions/index.ts).
 * @throws Error when the registry already has a type of that name
 */
export function withQuestionType<T extends QuestionTypeList, N extends AnyQuestionType>(
  registry: QuestionRegistry<T>,
  type: N,
): QuestionRegistry<readonly [...T, N]> {
  return questionRegistry([...registry.types, type] as const);
}

/**
 * The UI strings of the question types a quiz uses, resolved in one language: by type name, the
 * type's `strings` (hint and those its answer component reads) with their text. What a quiz
 * island receives as labels.types (src/components/Quiz.astro).
 * @param types the type names, e.g. those of a quiz's questions (each resolved once)
 * @param words the translator of the page's language; it throws for a missing key
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function questionStrings(
  registry: QuestionRegistry,
  types: Iterable<string>,
  words: (key: string) => string,
): Record<string, Record<string, string>> {
  const resolved: Record<string, Record<string, string>> = {};
  for (const type of new Set(types))
    resolved[type] = Object.fromEntries(Object.entries(registry.get(type).strings).map(([name, key]) => [name, words(key)]));
  return resolved;
}
