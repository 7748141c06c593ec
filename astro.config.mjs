// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import react from '@astrojs/react';
import sitemap from '@astrojs/sitemap';
import { serviceWorker } from './src/integrations/service-worker.ts';
import { pdfExport } from './src/integrations/pdf.ts';
import { cspHashes } from './src/integrations/csp-hashes.ts';
import { defaultLanguage, languages } from './src/i18n/languages.ts';
import { isListedPage } from './src/lib/indexing.ts';
import { readBuildEnvironment } from './src/config/env.ts';

// HOST, PORT and SITE_URL, read with the server's schema (src/config/env.ts): a wrong value fails
// the build with a message naming the variable.
const { host, port, siteUrl } = readBuildEnvironment(process.env);
/** @type {import('@astrojs/sitemap').SitemapOptions} Each page's alternates are its paths in the other languages (hreflang = the language code). */
const sitemapOptions = {
  filter: isListedPage,
  i18n: { defaultLocale: defaultLanguage, locales: Object.fromEntries(languages.map((lang) => [lang, lang])) },
};

export default defineConfig({
  // The public address of the site (SITE_URL, README "Configuration"); used for hreflang
  // alternates, canonical URLs, the sitemap and the sitemap's address in /robots.txt.
  site: siteUrl,
  trailingSlash: 'always',
  // The stylesheet is small (about 2 KB gzipped): inlining it saves a round trip, which costs
  // more than 2 KB on a 300 ms mobile connection.
  build: { inlineStylesheets: 'always' },
  // pdfExport runs before the service worker is generated, so the PDF files are on disk first;
  // cspHashes writes dist/csp-hashes.json, the inline code the server's policy allows.
  // The sitemap (dist/sitemap-index.xml) lists the pages search engines may show
  // (src/lib/indexing.ts), each with its hreflang alternates in the other languages.
  integrations: [mdx(), react(), pdfExport(), serviceWorker(), cspHashes(), sitemap(sitemapOptions)],
  // The languages come from the registry, src/i18n/languages.ts (docs/languages.md).
  i18n: {
    locales: [...languages],
    defaultLocale: defaultLanguage,
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  server: { host, port },
});
