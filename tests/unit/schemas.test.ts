import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../src/schemas/lesson.ts';
import { materialSchema } from '../../src/schemas/material.ts';
import { moduleSchema } from '../../src/schemas/module.ts';
import { quizSchema } from '../../src/schemas/quiz.ts';
import { readFrontmatter, readYaml } from '../helpers/frontmatter.ts';

const fixture = (p: string) => new URL(`../fixtures/${p}`, import.meta.url).pathname;
const issuePaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('lesson schema', () => {
  it('accepts a complete lesson', () => {
    expect(lessonSchema.safeParse(readFrontmatter(fixture('valid/lesson.mdx')).data).success).toBe(true);
  });
  it('rejects a misspelt field, naming it', () => {
    const r = lessonSchema.safeParse(readFrontmatter(fixture('malformed/lesson-typo.mdx')).data);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('objectivs');
    expect(issuePaths(r)).toContain('objectives');
  });
  it('rejects a lesson without a duration', () => {
    const r = lessonSchema.safeParse(readFrontmatter(fixture('malformed/lesson-missing-duration.mdx')).data);
    expect(issuePaths(r)).toEqual(['duration']);
  });
});

describe('module schema', () => {
  it('accepts a complete module overview', () => {
    expect(moduleSchema.safeParse(readFrontmatter(fixture('valid/module.md')).data).success).toBe(true);
  });
  it('rejects a module number outside 1 to 6', () => {
    expect(issuePaths(moduleSchema.safeParse(readFrontmatter(fixture('malformed/module-bad-number.md')).data))).toEqual(['number']);
  });
});

describe('quiz schema', () => {
  it('accepts a quiz with all three question types and applies the 80% pass mark', () => {
    const r = quizSchema.safeParse(readYaml(fixture('valid/quiz.yaml')));
    expect(r.success).toBe(true);
    expect(r.data?.passMark).toBe(0.8);
  });
  it('rejects a question without its Spanish text', () => {
    expect(issuePaths(quizSchema.safeParse(readYaml(fixture('malformed/quiz-missing-spanish.yaml'))))).toEqual(['questions.0.prompt.es']);
  });
  it('rejects an answer key that names an option that does not exist', () => {
    const r = quizSchema.safeParse(readYaml(fixture('malformed/quiz-wrong-key.yaml')));
    expect(issuePaths(r)).toEqual(['questions.0.correct']);
    expect(r.error?.issues[0]?.message).toContain('"z"');
  });
});

describe('material schema', () => {
  it('accepts a complete printable material', () => {
    expect(materialSchema.safeParse(readFrontmatter(fixture('valid/material.mdx')).data).success).toBe(true);
  });
  it('rejects an unknown kind and an unknown field, naming both', () => {
    const r = materialSchema.safeParse(readFrontmatter(fixture('malformed/material-unknown-kind.mdx')).data);
    expect(issuePaths(r)).toContain('kind');
    expect(JSON.stringify(r.error?.issues)).toContain('pages');
  });
});
