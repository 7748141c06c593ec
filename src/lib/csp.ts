import { createHash } from 'node:crypto';
import { parse } from 'node-html-parser';

/**
 * The inline code of the built pages that a Content-Security-Policy must allow by hash: the
 * build writes it to `dist/csp-hashes.json` (src/integrations/csp-hashes.ts) and the server sends
 * it in the site's policy (src/lrs/security-headers.ts). Everything else runs from files of the
 * site's own origin ('self').
 */
export interface InlineCodeHashes {
  /** Hashes of inline `<script>` elements, e.g. "'sha256-AbC…='" (CSP3 hash-source, quoted). */
  scripts: string[];
  /** Hashes of event-handler attribute values (onclick="…"), allowed with 'unsafe-hashes'. */
  handlers: string[];
  /** Origins other than the site's that pages fetch from: the LRS when it lives elsewhere. */
  connect?: string[];
}

/** The file, at the root of the built site, that holds the InlineCodeHashes of every page. */
export const CSP_HASHES_FILE = 'csp-hashes.json';

/**
 * The CSP hash-source of a script text: its SHA-256 in base64, quoted.
 * @param code the exact text between `<script>` and `</script>`, or an attribute's decoded value
 * @returns e.g. "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
 * Source: W3C CSP Level 3, 2.3.1 (hash-source) and 6.7.3.3 (matching an element's content).
 */
export function hashSource(code: string): string {
  return `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;
}

/**
 * Collect the hashes of the inline scripts and event-handler attributes of HTML documents.
 * Scripts with a `src`, and data blocks (`type` other than a JavaScript or module type, e.g.
 * application/json, application/ld+json), are not inline code and are skipped.
 * @param documents HTML texts (whole pages, or a fragment such as reveal.js's speaker view)
 * @returns the distinct hashes, sorted, so the file changes only when the code does
 * Source: W3C CSP Level 3, 6.7.3.3 (script elements) and 6.7.3.4 ('unsafe-hashes' for attributes);
 * HTML Living Standard 4.12.1 (data blocks are not run).
 */
export function collectInlineHashes(documents: Iterable<string>): InlineCodeHashes {
  const scripts = new Set<string>();
  const handlers = new Set<string>();
  for (const html of documents) {
    const root = parse(html, { comment: false, blockTextElements: { script: true, style: true } });
    for (const element of root.querySelectorAll('*')) {
      if (element.tagName === 'SCRIPT' && element.getAttribute('src') === undefined && isJavaScriptType(element.getAttribute('type'))) {
        scripts.add(hashSource(element.rawText));
      }
      for (const [name, value] of Object.entries(element.attributes)) {
        if (/^on[a-z]+$/i.test(name)) {
          handlers.add(hashSource(value));
        }
      }
    }
  }
  return { scripts: [...scripts].sort(), handlers: [...handlers].sort() };
}

/** Whether a script's type attribute makes it run as JavaScript (HTML 4.12.1.1). */
function isJavaScriptType(type: string | undefined): boolean {
  if (type === undefined || type.trim() === '') {
    return true;
  }
  const normalized = type.trim().toLowerCase();
  return normalized === 'module' || normalized === 'text/javascript' || normalized === 'application/javascript';
}
