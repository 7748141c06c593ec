/**
 * The Cache Storage names the site uses, shared by the service worker that src/integrations/service-worker.ts
 * generates and by the pages: the module download button (src/components/ModuleDownload.astro)
 * writes a module's pages into `pages`, where the worker looks for them offline; `search` keeps the
 * search index once fetched; `assets` holds the scripts and styles outside a learner's path once
 * first used.
 */
export const cacheNames = { pages: 'dce-pages', search: 'dce-search', assets: 'dce-assets' } as const;
