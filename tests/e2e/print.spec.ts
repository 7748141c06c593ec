import { expect, test } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';

const words = {
  en: { day: 'Day 1', keys: 'Answer keys', answer: 'Answer:', guide: 'Facilitator guide (PDF)', handout: 'Participant handout (PDF)' },
  fr: { day: 'Jour 1', keys: 'Corrigés', answer: 'Réponse :' /* the narrow no-break space before the colon, made a space by pdfText */, guide: "Guide de l'animateur (PDF)", handout: 'Document du participant (PDF)' },
  es: { day: 'Día 1', keys: 'Claves de respuestas', answer: 'Respuesta:', guide: 'Guía del facilitador (PDF)', handout: 'Material para participantes (PDF)' },
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

for (const lang of ['en', 'fr', 'es'] as const) {
  test(`the ${lang} module page links PDF files: the facilitator guide has the agenda and the answer keys, the handout has no answers`, async ({ page, request }) => {
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
