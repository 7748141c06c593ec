import { getCollection } from 'astro:content';
import type { Language } from '../../i18n/languages.ts';
import { getLessons, getModules, lessonSlug, splitId } from '../content.ts';
import { compact } from './compact-index.ts';
import { languagePlugin, setupLunr } from './lunr-setup.ts';
import type { SearchDocument, SearchIndexFile, SearchText } from './types.ts';

/**
 * MDX source as plain text for indexing: frontmatter, tags and Markdown marks removed,
 * component text (exercise steps, notes) kept.
 */
export function mdxToText(source: string): string {
  return source
    .replace(/^---[\s\S]*?---/, '')
    .replace(/<FacilitatorNote>[\s\S]*?<\/FacilitatorNote>/g, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#*_`>|]/g, ' ')
    .replace(/^\s*\d+\.\s+/gm, ' ')
    .replace(/-{3,}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The exercises of a lesson body: each Exercise's title and its text. */
export function exercisesOf(source: string): { title: string; text: string }[] {
  return [...source.matchAll(/<Exercise\b[^>]*\btitle="([^"]+)"[^>]*>([\s\S]*?)<\/Exercise>/g)].map((m) => ({
    title: m[1] ?? '',
    text: mdxToText(m[2] ?? ''),
  }));
}

type FullDocument = SearchDocument & SearchText;

/**
 * Every searchable document of one language, with its text: lessons (title, description,
 * objectives, key points, body without facilitator notes), their exercises, glossary terms and
 * module overviews.
 */
export async function searchDocuments(lang: Language): Promise<FullDocument[]> {
  const documents: FullDocument[] = [];
  for (const m of await getModules(lang)) {
    const moduleUrl = `/${lang}/modules/${m.data.module}/`;
    const shard = m.data.module;
    documents.push({
      ref: `module:${m.data.module}`,
      kind: 'module',
      title: m.data.title,
      module: m.data.title,
      lesson: '',
      url: moduleUrl,
      shard,
      text: `${m.data.summary} ${m.data.objectives.join(' ')} ${mdxToText(m.body ?? '')}`,
    });
    for (const l of await getLessons(lang, m.data.module)) {
      const url = `${moduleUrl}${lessonSlug(l)}/`;
      const body = l.body ?? '';
      documents.push({
        ref: `lesson:${m.data.module}/${lessonSlug(l)}`,
        kind: 'lesson',
        title: l.data.title,
        module: m.data.title,
        lesson: '',
        url,
        shard,
        // Exercises are documents of their own: leave them out of the lesson's text so their
        // words are not indexed twice.
        text: [
          l.data.description,
          ...l.data.objectives,
          mdxToText(body.replace(/<Exercise\b[\s\S]*?<\/Exercise>/g, ' ')),
          ...l.data.keyPoints,
        ].join(' '),
      });
      exercisesOf(body).forEach((e, i) =>
        documents.push({
          ref: `exercise:${m.data.module}/${lessonSlug(l)}/${i}`,
          kind: 'exercise',
          title: e.title,
          module: m.data.title,
          lesson: l.data.title,
          url,
          shard,
          text: e.text,
        }),
      );
    }
  }
  for (const g of await getCollection('glossary', (e) => splitId(e.id).lang === lang)) {
    const id = splitId(g.id).slug;
    documents.push({
      ref: `glossary:${id}`,
      kind: 'glossary',
      title: g.data.term,
      module: '',
      lesson: '',
      url: `/${lang}/glossary/#${id}`,
      shard: 'glossary',
      text: `${g.data.definition} ${g.data.source}`,
    });
  }
  return documents;
}

/**
 * Build the search index of one language at build time. Terms go through the language's
 * pipeline (the registry's lunr-languages stemmer, src/i18n/languages.ts: stop words, accent folding, stemming).
 * @returns the serialized index and the documents without text, for /{lang}/search-index.json
 */
export async function buildSearchIndex(lang: Language): Promise<SearchIndexFile> {
  const lunr = setupLunr();
  const documents = await searchDocuments(lang);
  const plugin = languagePlugin(lunr, lang);
  const index = lunr(function () {
    if (plugin) this.use(plugin);
    this.ref('ref');
    this.field('title', { boost: 5 });
    this.field('text');
    // Short refs (the document's position) keep the postings small: each ref is repeated once
    // per term it contains.
    documents.forEach((d, i) => this.add({ ref: String(i), title: d.title, text: d.text }));
  });
  return { lang, index: compact(index.toJSON()), documents: documents.map(({ text: _text, ...d }, i) => ({ ...d, ref: String(i) })) };
}

/**
 * The texts of one shard (a module, or the glossary), for snippets.
 * @returns the documents' refs and texts, for /{lang}/search-text/{shard}.json
 */
export async function searchTexts(lang: Language, shard: string): Promise<SearchText[]> {
  return (await searchDocuments(lang)).flatMap((d, i) => (d.shard === shard ? [{ ref: String(i), text: d.text }] : []));
}
