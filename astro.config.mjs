// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import react from '@astrojs/react';
import { serviceWorker } from './src/integrations/service-worker.ts';
import { pdfExport } from './src/integrations/pdf.ts';
import { cspHashes } from './src/integrations/csp-hashes.ts';
import { readBuildEnvironment } from './src/config/env.ts';

// HOST, PORT and SITE_URL, read with the server's schema (src/config/env.ts): a wrong value fails
// the build with a message naming the variable.
const { host, port, siteUrl } = readBuildEnvironment(process.env);

export default defineConfig({
  // The public address of the site; used for hreflang alternates and canonical URLs.
  site: siteUrl,
  trailingSlash: 'always',
  // The stylesheet is small (about 2 KB gzipped): inlining it saves a round trip, which costs
  // more than 2 KB on a 300 ms mobile connection.
  build: { inlineStylesheets: 'always' },
  // pdfExport runs before the service worker is generated, so the PDF files are on disk first;
  // cspHashes writes dist/csp-hashes.json, the inline code the server's policy allows.
  integrations: [mdx(), react(), pdfExport(), serviceWorker(), cspHashes()],
  i18n: {
    locales: ['en', 'fr', 'es'],
    defaultLocale: 'en',
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  server: { host, port },
});
