import type { APIRoute, GetStaticPaths } from 'astro';
import { languages, type Language } from '../../i18n/languages.ts';
import { buildSearchIndex } from '../../lib/search/build-index.ts';

/** /{lang}/search-index.json: built once per language at build time, fetched on the first search. */
export const getStaticPaths: GetStaticPaths = () => languages.map((lang) => ({ params: { lang } }));

export const GET: APIRoute = async ({ params }) =>
  new Response(JSON.stringify(await buildSearchIndex(params['lang'] as Language)), { headers: { 'Content-Type': 'application/json' } });
