// Client program of src/pages/[lang]/verify.astro: read a certificate (file, paste, or the QR
// link's ?id=), fetch the issuer's documents from this origin (kept for offline use,
// src/lib/certificates/verify-inputs.ts), check it in the browser (src/lib/certificates/verify.ts)
// and say the result in the page's language in the page's live region.
import { fill as fillText } from '../../i18n/format.ts';
import { certificateIdOf, certificatePaths } from './did.ts';
import { credentialFromText, loadIssuerDocuments } from './verify-inputs.ts';
import { verifyCertificate, type CertificateSummary, type InvalidReason, type Verification } from './verify.ts';

const form = document.querySelector<HTMLFormElement>('[data-verify-form]')!;
const fileInput = form.querySelector<HTMLInputElement>('input[type=file]')!;
const textInput = form.querySelector<HTMLTextAreaElement>('textarea')!;
const region = document.querySelector<HTMLElement>('[data-verify-result]')!;
const s = JSON.parse(form.dataset['strings'] ?? '{}') as Record<string, string>;
const cacheNames = JSON.parse(form.dataset['caches'] ?? '{}') as { pages?: string; assets?: string };
const lang = document.documentElement.lang;

/** Fill a page string's {{placeholders}} (the one formatting helper, src/i18n/format.ts). */
const fill = (template: string | undefined, values: Record<string, string>) => fillText(template ?? '', values);
const date = (iso: string, withTime = false) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : new Intl.DateTimeFormat(lang, withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' }).format(d);
};
const percent = (n: number) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);
const country = (code: string) => {
  try {
    return code ? (new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code) : '';
  } catch {
    return code;
  }
};

const reasonKeys: Record<InvalidReason, string> = {
  malformed: 'invalid.malformed',
  issuer: 'invalid.issuer',
  'unknown-key': 'invalid.signature',
  signature: 'invalid.signature',
  'not-yet-valid': 'invalid.notYetValid',
  'status-list': 'invalid.statusList',
};

/** The sentences that tell what a certificate says: who issued it, to whom, for what, when; score; workshop. */
function described(key: 'valid' | 'revoked' | 'expired', c: CertificateSummary): string[] {
  const lines = [
    fill(s[key], {
      issuer: c.issuerName,
      name: c.name,
      achievement: c.achievement,
      date: date(c.issued),
      expires: c.expires ? date(c.expires) : '',
    }),
  ];
  if (key !== 'revoked' && c.score !== undefined && c.passMark !== undefined)
    lines.push(fill(s['score'], { score: percent(c.score), passMark: percent(c.passMark) }));
  if (key !== 'revoked' && c.workshop && (c.workshop.cohort || c.workshop.country)) {
    lines.push(fill(s['workshop'], { workshop: [c.workshop.cohort, country(c.workshop.country)].filter(Boolean).join(', ') }));
  }
  return lines;
}

/**
 * Show an outcome in the live region: its first sentence is the verdict, then the details.
 * @param status what the region's data-status says (valid, revoked, expired, invalid, error)
 */
function show(status: Verification['status'] | 'error' | 'working', lines: string[]): void {
  region.dataset['status'] = status;
  const paragraphs = lines.filter(Boolean).map((text, i) => {
    const p = document.createElement('p');
    p.textContent = text;
    if (i === 0 && status !== 'working') p.className = status === 'valid' ? 'verify-verdict is-passed' : 'verify-verdict is-failed';
    return p;
  });
  region.replaceChildren(...paragraphs);
}

/** Check a credential's text and show the outcome. */
async function check(text: string): Promise<void> {
  const jwt = credentialFromText(text);
  if (!jwt) return show('error', [s['empty'] ?? '']);
  show('working', [s['checking'] ?? '']);
  const loaded = await loadIssuerDocuments(location.origin, localStorage);
  if (loaded === undefined) return show('error', [s['noKey'] ?? '']);
  const result = await verifyCertificate(jwt, loaded.documents);
  const offline = loaded.offlineSince === undefined ? '' : fill(s['offline'], { date: date(loaded.offlineSince, true) });
  if (result.status === 'invalid') return show('invalid', [s[reasonKeys[result.reason]] ?? '', offline]);
  show(result.status, [...described(result.status, result.certificate), offline]);
}

/** Fetch a certificate by its id (the QR code's ?id=) from this site and check it. */
async function checkById(id: string): Promise<void> {
  show('working', [s['fetching'] ?? '']);
  let response: Response;
  try {
    response = await fetch(certificatePaths.credential(id), { cache: 'no-store', credentials: 'omit' });
  } catch {
    return show('error', [s['fetchFailed'] ?? '']);
  }
  if (response.status === 404) return show('error', [s['notFound'] ?? '']);
  if (!response.ok) return show('error', [s['fetchFailed'] ?? '']);
  await check(await response.text());
}

async function checkFile(file: File): Promise<void> {
  let text: string;
  try {
    text = await file.text();
  } catch {
    return show('error', [s['readFailed'] ?? '']);
  }
  await check(text);
}

/**
 * Keep this page for offline use: on a first visit the service worker did not serve it, so
 * neither the page nor its files are in its caches yet (src/integrations/service-worker.ts keeps
 * pages it serves, network first, and /_astro/ files cache first). Put the page's address
 * (without its query: the worker matches pages ignoring it) and every /_astro/ file it loaded
 * there, as the module download does (src/components/ModuleDownload.astro).
 */
async function keepForOffline(): Promise<void> {
  if (!('caches' in window) || !cacheNames.pages || !cacheNames.assets || navigator.serviceWorker?.controller) return;
  const page = new URL(location.pathname, location.origin).href;
  const files = performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && url.pathname.startsWith('/_astro/'))
    .map((url) => url.href);
  const [pages, assets] = await Promise.all([caches.open(cacheNames.pages), caches.open(cacheNames.assets)]);
  await Promise.all([pages.add(page), ...files.map(async (file) => (await assets.match(file)) ?? assets.add(file))]);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const file = fileInput.files?.[0];
  if (textInput.value.trim()) void check(textInput.value);
  else if (file) void checkFile(file);
  else show('error', [s['empty'] ?? '']);
});
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) {
    textInput.value = '';
    void checkFile(file);
  }
});

const linked = new URLSearchParams(location.search).get('id');
if (linked !== null) {
  const id = certificateIdOf(linked);
  if (id === undefined) show('error', [s['notFound'] ?? '']);
  else void checkById(id);
}
form.dataset['ready'] = 'true';
const keep = () => void keepForOffline().catch(() => undefined);
if (document.readyState === 'complete') keep();
else addEventListener('load', keep, { once: true });
