/** One searchable document: a lesson, an exercise, a glossary term or a module overview. */
export interface SearchDocument {
  /** The lunr document ref: the document's position in the index file, as a string. */
  ref: string;
  /** What kind of page the result leads to. */
  kind: 'lesson' | 'exercise' | 'glossary' | 'module';
  /** The result's title (lesson, exercise or term). */
  title: string;
  /** The module's title, shown above the result ("" for the glossary). */
  module: string;
  /** The lesson's title for an exercise, else "". */
  lesson: string;
  /** The page to open, a path from the site's root. */
  url: string;
  /** The shard holding its text: a module slug, or "glossary". */
  shard: string;
}

/** A document with its text, as a shard holds it. */
export interface SearchText {
  ref: string;
  /** Plain text the snippet is cut from. */
  text: string;
}

/**
 * What /{lang}/search-index.json holds: the serialized lunr index (no term positions, to keep
 * it small) and the documents without their text. Texts live in /{lang}/search-text/{shard}.json,
 * fetched only for the shards that have results, to cut snippets.
 */
export interface SearchIndexFile {
  lang: string;
  index: object;
  documents: SearchDocument[];
}
