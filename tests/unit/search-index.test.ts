import { describe, expect, it } from 'vitest';
import { compact, expandFieldVectors } from '../../src/lib/search/compact-index.ts';
import { languagePlugin, setupLunr } from '../../src/lib/search/lunr-setup.ts';

// The shipped search index (src/lib/search/compact-index.ts) must load into lunr and rank as the
// uncompacted one does: same results, same order, scores within the rounding of the weights.

const documents = [
  'Les Parties adoptent des politiques et mesures culturelles pour protéger et promouvoir la diversité des expressions culturelles.',
  'Le Fonds international pour la diversité culturelle (FIDC) finance des projets dans les pays en développement.',
  'Le rapport périodique quadriennal décrit les politiques et mesures adoptées par les Parties.',
  'Les industries culturelles et créatives emploient de nombreux jeunes; les statistiques culturelles mesurent leur poids.',
  'Une note de politique présente le problème, les données, les options et la mesure recommandée.',
];

function build() {
  const lunr = setupLunr();
  const plugin = languagePlugin(lunr, 'fr');
  return lunr(function () {
    if (plugin) this.use(plugin);
    this.ref('ref');
    this.field('text');
    documents.forEach((text, i) => this.add({ ref: String(i), text }));
  });
}

describe('the compacted search index', () => {
  it('writes term indexes as differences and gives them back exactly', () => {
    const original = build().toJSON() as unknown as { fieldVectors: [string, number[]][] };
    const copy = JSON.parse(JSON.stringify(original)) as typeof original;
    const shipped = compact(JSON.parse(JSON.stringify(original))) as typeof original;
    const absolute = (v: number[]) => v.filter((_, i) => i % 2 === 0);
    const lastTerm = Math.max(...original.fieldVectors.flatMap(([, v]) => absolute(v)));
    expect(Math.max(...shipped.fieldVectors.flatMap(([, v]) => absolute(v)))).toBeLessThan(lastTerm);
    for (const [, v] of shipped.fieldVectors) expect(absolute(v).every((d) => d >= 0)).toBe(true);
    const back = expandFieldVectors(shipped) as typeof original;
    expect(back.fieldVectors.map(([r, v]) => [r, absolute(v)])).toEqual(copy.fieldVectors.map(([r, v]) => [r, absolute(v)]));
  });

  it('loads an index of an earlier build (absolute term indexes, not marked) as it is', () => {
    const earlier = build().toJSON();
    expect(expandFieldVectors(earlier)).toBe(earlier);
    expect(
      setupLunr()
        .Index.load(expandFieldVectors(earlier))
        .search('FIDC')
        .map((r) => r.ref),
    ).toEqual(['1']);
  });

  it.each(['politiques', 'diversité', 'FIDC', 'statistiques culturelles', 'Parties mesures'])(
    'finds the same documents in the same order for "%s"',
    (query) => {
      const lunr = setupLunr();
      const original = build();
      const loaded = lunr.Index.load(expandFieldVectors(compact(JSON.parse(JSON.stringify(original.toJSON())))));
      const before = original.search(query);
      const after = loaded.search(query);
      expect(before.length).toBeGreaterThan(0);
      expect(after.map((r) => r.ref)).toEqual(before.map((r) => r.ref));
      after.forEach((r, i) => expect(r.score).toBeCloseTo(before[i]!.score, 1));
    },
  );
});
