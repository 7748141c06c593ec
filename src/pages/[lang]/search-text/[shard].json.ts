import type { APIRoute, GetStaticPaths } from 'astro';
import { languages, type Language } from '../../../i18n/languages.ts';
import { moduleSlugs } from '../../../schemas/module.ts';
import { searchTexts } from '../../../lib/search/build-index.ts';

/** /{lang}/search-text/{module|glossary}.json: texts for snippets, fetched for shards with results. */
export const getStaticPaths: GetStaticPaths = () =>
  languages.flatMap((lang) => [...moduleSlugs, 'glossary'].map((shard) => ({ params: { lang, shard } })));

export const GET: APIRoute = async ({ params }) =>
  new Response(JSON.stringify(await searchTexts(params['lang'] as Language, params['shard'] ?? '')), {
    headers: { 'Content-Type': 'application/json' },
  });
