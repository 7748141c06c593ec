import type lunr from 'lunr';
import type { Language } from '../../i18n/languages.ts';
import { expandFieldVectors } from './compact-index.ts';
import { setupLunr } from './lunr-setup.ts';
import type { SearchDocument, SearchIndexFile, SearchText } from './types.ts';

/** A loaded index of one language. */
export interface LoadedIndex {
  index: lunr.Index;
  documents: Map<string, SearchDocument>;
}

/** A piece of snippet text; `match` pieces are shown highlighted. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** One search hit: the document and the index terms it matched. */
export interface SearchHit {
  document: SearchDocument;
  terms: string[];
}

/** One search result: the document and a snippet around its first match. */
export interface SearchResult {
  document: SearchDocument;
  snippet: SnippetPart[];
}

/**
 * Turn a serialized index file into a queryable index (the browser never builds an index).
 * @throws Error when the file was built with a pipeline function not registered here
 */
export function loadIndex(file: SearchIndexFile): LoadedIndex {
  const l = setupLunr();
  return { index: l.Index.load(expandFieldVectors(file.index)), documents: new Map(file.documents.map((d) => [d.ref, d])) };
}

const cache = new Map<Language, Promise<LoadedIndex>>();

/**
 * Fetch /{lang}/search-index.json on the first search of a page view, then reuse it.
 * @throws Error when the index cannot be fetched (offline and not cached)
 */
export function fetchIndex(lang: Language): Promise<LoadedIndex> {
  let pending = cache.get(lang);
  if (!pending) {
    pending = fetch(`/${lang}/search-index.json`).then(async (r) => {
      if (!r.ok) throw new Error(`search index: HTTP ${r.status}`);
      return loadIndex((await r.json()) as SearchIndexFile);
    });
    pending.catch(() => cache.delete(lang));
    cache.set(lang, pending);
  }
  return pending;
}

/**
 * Cut a snippet of about `radius` characters on each side of the first match.
 * @param positions [start, length] pairs of matches in `text`, as lunr's position metadata gives
 */
export function snippetOf(text: string, positions: [number, number][], radius = 90): SnippetPart[] {
  const sorted = [...positions].sort((a, b) => a[0] - b[0]);
  const first = sorted[0];
  if (!first) return [{ text: text.slice(0, radius * 2) + (text.length > radius * 2 ? '…' : ''), match: false }];
  const from = Math.max(0, first[0] - radius);
  const to = Math.min(text.length, first[0] + first[1] + radius);
  const parts: SnippetPart[] = [];
  let cursor = from;
  for (const [start, length] of sorted) {
    if (start < cursor || start + length > to) continue;
    parts.push({ text: text.slice(cursor, start), match: false }, { text: text.slice(start, start + length), match: true });
    cursor = start + length;
  }
  parts.push({ text: text.slice(cursor, to), match: false });
  if (from > 0) parts[0]!.text = `…${parts[0]!.text}`;
  if (to < text.length) parts[parts.length - 1]!.text += '…';
  return parts.filter((p) => p.text !== '');
}

/**
 * Search an index: every word through the language's pipeline (stemming, accent folding),
 * plus a fuzzy match (one edit) for longer words, so that a misspelling still finds results.
 * @param query what the learner typed
 * @param limit the most results to return
 * @returns the hits, best first, with the index terms each matched (for highlighting)
 */
export function search(loaded: LoadedIndex, query: string, limit = 20): SearchHit[] {
  const l = setupLunr();
  const words = l
    .tokenizer(query)
    .map((t) => t.toString())
    .filter((w) => w.length > 1);
  if (words.length === 0) return [];
  const hits = loaded.index.query((q) => {
    for (const w of words) {
      q.term(w, { boost: 10 });
      if (w.length > 4) q.term(w, { usePipeline: false, editDistance: 1, boost: 1 });
    }
  });
  return hits.slice(0, limit).flatMap((hit) => {
    const document = loaded.documents.get(hit.ref);
    return document ? [{ document, terms: Object.keys(hit.matchData.metadata) }] : [];
  });
}

const stems = new Map<string, string[]>();

/**
 * Where matched index terms occur in a text, up to `limit` occurrences from the first: each
 * word goes through the index's own search pipeline (stems memoized per word), and the words
 * whose stems were matched are returned, trimmed of punctuation.
 * @returns [start, length] pairs in `text`
 */
export function matchPositions(loaded: LoadedIndex, text: string, terms: string[], limit = 12): [number, number][] {
  const l = setupLunr();
  const wanted = new Set(terms);
  // The loaded index keeps its search pipeline; @types/lunr does not declare it.
  const pipeline = (loaded.index as unknown as { pipeline: lunr.Pipeline }).pipeline;
  const found: [number, number][] = [];
  for (const token of l.tokenizer(text)) {
    const word = token.toString();
    let stemmed = stems.get(word);
    if (!stemmed) {
      stemmed = pipeline.runString(word);
      stems.set(word, stemmed);
    }
    if (!stemmed.some((stem) => wanted.has(stem))) continue;
    // Tokens keep their punctuation ("cultural,"): highlight the word only.
    const [start, length] = (token as unknown as { metadata: { position: [number, number] } }).metadata.position;
    const raw = text.slice(start, start + length);
    const lead = /^[^\p{L}\p{N}]*/u.exec(raw)?.[0].length ?? 0;
    const trail = /[^\p{L}\p{N}]*$/u.exec(raw)?.[0].length ?? 0;
    found.push([start + lead, Math.max(0, length - lead - trail)]);
    if (found.length >= limit) break;
  }
  return found;
}

const shardCache = new Map<string, Promise<Map<string, string>>>();

/**
 * Add snippets to hits: fetch the text shards that hold them (once per page view) and cut the
 * text around the first match. A shard that cannot be fetched leaves its results without snippet.
 */
export async function withSnippets(lang: Language, loaded: LoadedIndex, hits: SearchHit[]): Promise<SearchResult[]> {
  const shards = [...new Set(hits.map((h) => h.document.shard))];
  const texts = new Map<string, string>();
  await Promise.all(
    shards.map(async (shard) => {
      const key = `${lang}/${shard}`;
      let pending = shardCache.get(key);
      if (!pending) {
        pending = fetch(`/${lang}/search-text/${shard}.json`)
          .then((r) => (r.ok ? (r.json() as Promise<SearchText[]>) : []))
          .then((list) => new Map(list.map((t) => [t.ref, t.text])));
        shardCache.set(key, pending);
      }
      try {
        for (const [ref, text] of await pending) texts.set(ref, text);
      } catch {
        shardCache.delete(key);
      }
    }),
  );
  return hits.map((h) => {
    const text = texts.get(h.document.ref) ?? '';
    return { document: h.document, snippet: snippetOf(text, matchPositions(loaded, text, h.terms)) };
  });
}
