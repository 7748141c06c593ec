import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { languages } from '../i18n/languages.ts';
import type { LocalizedText } from '../schemas/localized.ts';
import { quizSchema, type QuizData } from '../schemas/quiz.ts';
import { moduleId, quizId } from '../lib/xapi/activities.ts';
import type { QuizRef } from '../lib/xapi/statements.ts';

/**
 * A quiz the server grades: a module's final assessment or its pre-test (quiz.kind tells which),
 * with its answer key and its place in the curriculum.
 */
export interface FinalAssessment {
  /** The quiz id: the file name in content/quizzes/ without .yaml. */
  id: string;
  quiz: QuizData;
  /** The quiz and its module as activities (IRIs and names in en, fr and es), as the browser names them. */
  ref: QuizRef;
}

/** The YAML frontmatter of a Markdown file. */
function frontmatter(path: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(path, 'utf8'));
  if (!match) throw new Error(`${path} has no frontmatter`);
  return parse(match[1] ?? '') as Record<string, unknown>;
}

/** A quiz file's `kind` line when the server grades it (final assessment, pre-test): only those are parsed (zod then checks the whole file). */
const FINAL_KIND = /^kind:\s*["']?(final-assessment|pre-test)["']?\s*(#.*)?$/m;

const loaded = new Map<string, ReadonlyMap<string, FinalAssessment>>();

/**
 * Read every final assessment and pre-test of a content tree, checked with the same zod schema as
 * the build (src/schemas/quiz.ts), with its module's title in each language for the module
 * activity. Knowledge checks are left out: the browser grades them. A tree is read once per process (every
 * app built on it shares the result): restart the server after changing a final assessment.
 * @param contentDir the content folder, e.g. "./content" (quizzes in contentDir/quizzes/*.yaml,
 *   modules in contentDir/{en,fr,es}/modules/{module}.md)
 * @returns the final assessments and pre-tests by quiz id
 * @throws Error naming the file and the field when a quiz is invalid, or a module file or title
 *   is missing
 */
export function loadFinalAssessments(contentDir: string): ReadonlyMap<string, FinalAssessment> {
  const key = resolve(contentDir);
  const known = loaded.get(key);
  if (known !== undefined) return known;
  const found = readFinalAssessments(contentDir);
  loaded.set(key, found);
  return found;
}

function readFinalAssessments(contentDir: string): Map<string, FinalAssessment> {
  const quizDir = join(contentDir, 'quizzes');
  const found = new Map<string, FinalAssessment>();
  for (const file of readdirSync(quizDir)
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))
    .sort()) {
    const path = join(quizDir, file);
    const text = readFileSync(path, 'utf8');
    if (!FINAL_KIND.test(text)) continue;
    const parsed = quizSchema.safeParse(parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid quiz'}`);
    }
    const quiz = parsed.data;
    if (quiz.kind === 'knowledge-check') continue;
    const id = file.replace(/\.yaml$/, '');
    const names = Object.fromEntries(
      languages.map((lang) => {
        const modulePath = join(contentDir, lang, 'modules', `${quiz.module}.md`);
        const title = frontmatter(modulePath)['title'];
        if (typeof title !== 'string' || title === '') throw new Error(`${modulePath}: title must be a non-empty string`);
        return [lang, title];
      }),
    ) as LocalizedText;
    found.set(id, { id, quiz, ref: { quiz: { id: quizId(id), name: quiz.title }, module: { id: moduleId(quiz.module), name: names } } });
  }
  return found;
}
