import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { CSP_HASHES_FILE, collectInlineHashes } from '../lib/csp.ts';
import { localiseSpeakerView } from '../lib/speaker-view.ts';
import { speakerViewStrings } from '../lib/speaker-view-strings.ts';
import { languages } from '../i18n/languages.ts';

/**
 * After every build, write `dist/csp-hashes.json` (InlineCodeHashes of src/lib/csp.ts): the hashes
 * of every inline script and event-handler attribute of the built pages, plus the inline script
 * of reveal.js's speaker view, as it is and in each language (the presenter window of src/components/SlideDeck.astro, which the
 * notes plugin writes into an about:blank popup: that document inherits the opener's policy, so
 * its script must be allowed by the site's policy too), and the origin of PUBLIC_LRS_ENDPOINT when
 * the pages send statements to an LRS elsewhere. The server sends them in the site's
 * Content-Security-Policy (src/lrs/security-headers.ts), so no inline code runs unless the build
 * made it.
 *
 * Astro's own `security.csp` is not used: it hashes only the scripts Astro bundles (not
 * `is:inline` ones nor reveal.js's popup), and it writes a `<meta>` policy, which cannot carry
 * frame-ancestors.
 * Source: W3C CSP Level 3 (hash-source; policy inheritance of local-scheme documents, 4.2.2).
 */
export function cspHashes(): AstroIntegration {
  return {
    name: 'dce-csp-hashes',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const pages = (await readdir(root, { recursive: true })).filter((path) => path.endsWith('.html'));
        const documents = await Promise.all(pages.map((path) => readFile(join(root, path), 'utf8')));
        const speakerView = createRequire(import.meta.url).resolve('reveal.js/plugin/notes/speaker-view.html');
        const template = await readFile(speakerView, 'utf8');
        // The decks write the speaker view in their own language (src/lib/speaker-view.ts): its
        // script differs per language (the title, outside the script, does not matter here).
        documents.push(template, ...languages.map((lang) => localiseSpeakerView(template, speakerViewStrings(lang, ''))));
        // The pages send statements to PUBLIC_LRS_ENDPOINT (src/lib/lrs-settings.ts): another origin when absolute.
        const endpoint = URL.parse(process.env['PUBLIC_LRS_ENDPOINT'] ?? '');
        const hashes = { ...collectInlineHashes(documents), ...(endpoint === null ? {} : { connect: [endpoint.origin] }) };
        await writeFile(join(root, CSP_HASHES_FILE), `${JSON.stringify(hashes, null, 2)}\n`);
        logger.info(
          `${CSP_HASHES_FILE}: ${hashes.scripts.length} inline scripts, ${hashes.handlers.length} event handlers over ${pages.length} pages`,
        );
      },
    },
  };
}
