import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The YAML frontmatter of a Markdown/MDX file as an object, and its body. */
export function readFrontmatter(path: string): { data: unknown; body: string } {
  const text = readFileSync(path, 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${path} has no frontmatter`);
  return { data: parse(match[1] ?? ''), body: match[2] ?? '' };
}

/** A YAML file as an object. */
export const readYaml = (path: string): unknown => parse(readFileSync(path, 'utf8'));
