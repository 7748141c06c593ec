// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import react from '@astrojs/react';
import { serviceWorker } from './src/integrations/service-worker.ts';
import { pdfExport } from './src/integrations/pdf.ts';
import { cspHashes } from './src/integrations/csp-hashes.ts';
import { defaultLanguage, languages } from './src/i18n/languages.ts';

const port = Number(process.env.PORT ?? 4321);
const host = process.env.HOST ?? '127.0.0.1';

export default defineConfig({
  // The public address of the site; used for hreflang alternates and canonical URLs.
  site: process.env.SITE_URL ?? `http://${host}:${port}`,
  trailingSlash: 'always',
  // The stylesheet is small (about 2 KB gzipped): inlining it saves a round trip, which costs
  // more than 2 KB on a 300 ms mobile connection.
  build: { inlineStylesheets: 'always' },
  // pdfExport runs before the service worker is generated, so the PDF files are on disk first;
  // cspHashes writes dist/csp-hashes.json, the inline code the server's policy allows.
  integrations: [mdx(), react(), pdfExport(), serviceWorker(), cspHashes()],
  // The languages come from the registry, src/i18n/languages.ts (docs/languages.md).
  i18n: {
    locales: [...languages],
    defaultLocale: defaultLanguage,
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  server: { host, port },
});
