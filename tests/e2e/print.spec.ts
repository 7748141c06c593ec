import { expect, test } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { e2eSiteRoot } from '../../playwright.config.ts';
import { languages } from '../../src/i18n/languages.ts';

const words = {
  en: { day: 'Day 1', keys: 'Answer keys', answer: 'Answer:', guide: 'Facilitator guide (PDF)', handout: 'Participant handout (PDF)' },
  fr: {
    day: 'Jour 1',
    keys: 'Corrigés',
    answer: 'Réponse :' /* the narrow no-break space before the colon, made a space by pdfText */,
    guide: "Guide de l'animateur (PDF)",
    handout: 'Document du participant (PDF)',
  },
  es: {
    day: 'Día 1',
    keys: 'Claves de respuestas',
    answer: 'Respuesta:',
    guide: 'Guía del facilitador (PDF)',
    handout: 'Material para participantes (PDF)',
  },
} as const;

async function pdfText(request: import('@playwright/test').APIRequestContext, url: string): Promise<string> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  expect(response.headers()['content-type']).toContain('pdf');
  const pdf = await getDocumentProxy(new Uint8Array(await response.body()));
  expect(pdf.numPages).toBeGreaterThan(1);
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

for (const lang of languages) {
  test(`the ${lang} module page links PDF files: the facilitator guide has the agenda and the answer keys, the handout has no answers`, async ({
    page,
    request,
  }) => {
    await page.goto(`/${lang}/modules/understanding-the-convention/?facilitator=1`);
    const guideHref = await page.getByRole('link', { name: words[lang].guide }).getAttribute('href');
    const handoutHref = await page.getByRole('link', { name: words[lang].handout }).getAttribute('href');
    const guide = await pdfText(request, guideHref!);
    expect(guide).toContain(words[lang].day);
    expect(guide).toContain(words[lang].keys);
    expect(guide).toContain(words[lang].answer);
    const handout = await pdfText(request, handoutHref!);
    expect(handout).not.toContain(words[lang].keys);
    expect(handout).not.toContain(words[lang].answer);
  });
}

// Printable materials (issue 15): each material page links its two PDF files, A4 and US Letter
// (src/lib/pdf-files.ts, materialPapers), and each is a real PDF whose first page has that
// paper's size (PDF 1.7, 7.7.3.3: MediaBox in points of 1/72 in; A4 is 595.28 x 841.89, US Letter 612 x 792).
const papers = [
  { suffix: 'a4', width: 595.28, height: 841.89 },
  { suffix: 'letter', width: 612, height: 792 },
] as const;

test('every printable material page, in every language, links its A4 and US Letter PDF files, each of at least one page of that size', async ({
  request,
}) => {
  const found: string[] = [];
  for (const lang of languages) {
    const modules = join(e2eSiteRoot, lang, 'modules');
    for (const module of readdirSync(modules)) {
      const folder = join(modules, module, 'materials');
      for (const slug of existsSync(folder) ? readdirSync(folder) : [])
        if (existsSync(join(folder, slug, 'index.html'))) found.push(`/${lang}/modules/${module}/materials/${slug}/`);
    }
  }
  expect(found.length).toBeGreaterThanOrEqual(3);
  test.setTimeout(30_000 + found.length * 2_000);
  for (const path of found) {
    const html = await (await request.get(path)).text();
    // The material's title, as its page shows it, compared without spaces (PDF text breaks lines anywhere).
    const title = (/<h1>([^<]+)<\/h1>/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, '');
    expect(title, `${path} has an h1`).not.toBe('');
    for (const { suffix, width, height } of papers) {
      const href = path.replace(/\/$/, `-${suffix}.pdf`);
      expect(html, `${path} links ${href}`).toContain(`href="${href}"`);
      const response = await request.get(href);
      expect(response.status(), href).toBe(200);
      const pdf = await getDocumentProxy(new Uint8Array(await response.body()));
      expect(pdf.numPages, href).toBeGreaterThanOrEqual(1);
      const { text } = await extractText(pdf, { mergePages: true });
      expect(text.replace(/\s+/g, ''), `${href} shows the title`).toContain(title);
      const [x0, y0, x1, y1] = (await pdf.getPage(1)).view;
      expect(Math.abs(x1! - x0! - width), `${href} page width ${x1! - x0!} pt`).toBeLessThan(1);
      expect(Math.abs(y1! - y0! - height), `${href} page height ${y1! - y0!} pt`).toBeLessThan(1);
    }
  }
});
