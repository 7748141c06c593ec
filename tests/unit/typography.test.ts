import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NARROW_NBSP, frenchSpacing, frenchSpacingFaults, labelled } from '../../src/i18n/typography.ts';

const N = NARROW_NBSP;
const root = new URL('../../', import.meta.url).pathname;

describe('French punctuation spacing', () => {
  it('puts a narrow no-break space before : ; ! ? and inside « », and leaves times and addresses alone', () => {
    expect(frenchSpacing('Évaluation finale: la Convention')).toBe(`Évaluation finale${N}: la Convention`);
    expect(frenchSpacing('Qui apprend ?')).toBe(`Qui apprend${N}?`);
    expect(frenchSpacing('atelier ; revenez!')).toBe(`atelier${N}; revenez${N}!`);
    expect(frenchSpacing('« Apprenant 7K3P »')).toBe(`«${N}Apprenant 7K3P${N}»`);
    expect(frenchSpacing('«Nom»')).toBe(`«${N}Nom${N}»`);
    for (const kept of [
      '09:00–09:45',
      'https://fr.unesco.org/creativity/',
      '/fr/search/?q=culture',
      `déjà juste${N}: oui`,
      'déjà juste\u00a0: oui',
    ])
      expect(frenchSpacing(kept)).toBe(kept);
    expect(frenchSpacingFaults('Durée : 90 minutes')).toHaveLength(1);
    expect(frenchSpacingFaults(`Durée${N}: 90 minutes`)).toEqual([]);
  });

  it('joins a label and its value as each language writes it', () => {
    expect(labelled('fr', 'Source', 'UNESCO')).toBe(`Source${N}: UNESCO`);
    expect(labelled('fr', 'Réponse')).toBe(`Réponse${N}:`);
    expect(labelled('es', 'Fuente', 'UNESCO')).toBe('Fuente: UNESCO');
  });

  it('holds in every French UI string (locales/fr.json)', () => {
    const fr = JSON.parse(readFileSync(join(root, 'locales/fr.json'), 'utf8')) as Record<string, string>;
    const faults = Object.entries(fr).flatMap(([key, value]) => frenchSpacingFaults(value).map((f) => `${key}: ${f}`));
    expect(faults).toEqual([]);
  });

  // Reads every French content file: seconds on a loaded 2-core machine.
  it("holds in the French content: lessons, modules, guides, glossary and the quizzes' French texts", { timeout: 60_000 }, () => {
    const faults: string[] = [];
    const dir = join(root, 'content/fr');
    for (const file of readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => /\.(mdx?|ya?ml)$/.test(f))) {
      const text = readFileSync(join(dir, file), 'utf8')
        .replace(/```[\s\S]*?```/g, '')
        .replace(/`[^`\n]*`/g, '')
        // YAML keys, in block and flow style, are syntax, not French.
        .replace(/^(\s*(?:-\s+)?)[\w-]+:(?=\s|$)/gm, '$1')
        .replace(/([{,]\s*)[\w-]+:(?=\s)/g, '$1');
      faults.push(...frenchSpacingFaults(text).map((f) => `content/fr/${file}: ${f}`));
    }
    const frenchOf = (node: unknown, out: string[] = []): string[] => {
      if (Array.isArray(node)) node.forEach((n) => frenchOf(n, out));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'fr' && typeof v === 'string') out.push(v);
          else frenchOf(v, out);
        }
      }
      return out;
    };
    for (const file of readdirSync(join(root, 'content/quizzes'))) {
      const quiz = parse(readFileSync(join(root, 'content/quizzes', file), 'utf8')) as unknown;
      faults.push(...frenchOf(quiz).flatMap((t) => frenchSpacingFaults(t).map((f) => `content/quizzes/${file}: ${f}`)));
    }
    expect(faults, 'French puts a narrow no-break space (U+202F) before : ; ! ? and inside « »').toEqual([]);
  });
});
