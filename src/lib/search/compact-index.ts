// The search index as shipped: smaller than lunr's own JSON, turned back before lunr.Index.load.
// Built by src/lib/search/build-index.ts, read by src/lib/search/query.ts.

/**
 * Shrink the serialized index: term weights rounded to two decimals (ranking barely changes for
 * practical purposes; about a third smaller), and each field vector's term indexes written as
 * the difference from the previous one (lunr keeps them ascending; small numbers compress
 * better: the French index went from 102 to 84 KB gzipped). query.ts's loadIndex undoes the
 * differences with expandFieldVectors (below) before lunr.Index.load. The index is marked
 * `fieldVectorDeltas: true`, so an index of an earlier version still in a service-worker cache
 * (absolute indexes) loads as it is.
 */
export function compact(serialized: object): object {
  const json = serialized as { fieldVectors: [string, number[]][]; fieldVectorDeltas?: true };
  json.fieldVectorDeltas = true;
  json.fieldVectors = json.fieldVectors.map(([ref, vector]) => {
    let previous = 0;
    return [
      ref,
      vector.map((v, i) => {
        if (i % 2 === 1) return Math.round(v * 100) / 100;
        const delta = v - previous;
        previous = v;
        return delta;
      }),
    ];
  });
  return json;
}

/**
 * Undo compact(): in each field vector [term index, weight, ...], the term
 * indexes are written as differences from the previous one; lunr.Index.load wants them absolute.
 * @param index the serialized index as fetched; not modified
 * @returns a copy with absolute term indexes; the index itself when it is not marked
 *   `fieldVectorDeltas` (built before compact() wrote differences)
 */
export function expandFieldVectors(index: object): object {
  const json = index as { fieldVectors: [string, number[]][]; fieldVectorDeltas?: true };
  if (json.fieldVectorDeltas !== true) return index;
  const fieldVectors = json.fieldVectors.map(([ref, vector]) => {
    let position = 0;
    return [ref, vector.map((v, i) => (i % 2 === 1 ? v : (position += v)))];
  });
  return { ...json, fieldVectors };
}
