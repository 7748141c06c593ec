import { inflateSync } from 'node:zlib';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/i18n/languages.ts';
import { certificatePdf, type CertificatePdfInput } from '../../src/lrs/certificates/pdf.ts';

const uuid = '3f1c2a4b-1234-4abc-9def-0123456789ab';
const name = 'Aïssatou Ndiaye-Łukasz Ωmega Жанна';

function input(lang: Language, overrides: Partial<CertificatePdfInput> = {}): CertificatePdfInput {
  return {
    lang,
    id: `urn:uuid:${uuid}`,
    name,
    moduleTitle: expected[lang].moduleTitle,
    moduleNumber: 1,
    lessons: 7,
    scorePercent: 85,
    passMarkPercent: 70,
    issued: '2026-12-03T22:30:00Z',
    workshop: { cohort: 'Dakar, March 2027', country: 'SN' },
    issuerName: 'Diversity of Cultural Expressions: training platform',
    verifyUrl: `https://training.example.org/${lang}/verify/?id=${uuid}`,
    ...overrides,
  };
}

// Written out rather than computed with Intl, so that a change in formatting shows here. Intl puts
// a no-break space (U+00A0) before % in French and Spanish (CLDR 48); French UI strings put a
// narrow no-break space (U+202F) before the colon (src/i18n/typography.ts).
const expected: Record<Language, { heading: string; moduleTitle: string; score: string; passMark: string; date: string; country: string }> =
  {
    en: {
      heading: 'Certificate of completion',
      moduleTitle: 'Understanding the Convention',
      score: 'score of 85%',
      passMark: 'pass mark: 70%',
      date: 'December 3, 2026',
      country: 'Senegal',
    },
    fr: {
      heading: 'Certificat de réussite',
      moduleTitle: 'Comprendre la Convention',
      score: 'score de 85\u00a0%',
      passMark: 'seuil de réussite\u202f: 70\u00a0%',
      date: '3 décembre 2026',
      country: 'Sénégal',
    },
    es: {
      heading: 'Certificado de finalización',
      moduleTitle: 'Comprender la Convención',
      score: 'puntuación del 85\u00a0%',
      passMark: 'nota mínima para aprobar: 70\u00a0%',
      date: '3 de diciembre de 2026',
      country: 'Senegal',
    },
  };

/**
 * The PDF's pages and its text with every white space as U+0020: pdf.js (under unpdf) gives no-break
 * spaces back as plain ones, so `characters` checks those separately.
 */
const spaced = (text: string) => text.replace(/\s+/gu, ' ');

/** The characters the PDF's fonts map glyphs to (their ToUnicode CMaps), as lowercase hex code points. */
function characters(pdf: Buffer): Set<string> {
  const found = new Set<string>();
  for (const [, body] of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let text: string;
    try {
      text = inflateSync(Buffer.from(body!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    if (!text.includes('begincmap')) continue;
    for (const [, hex] of text.matchAll(/<([0-9a-f]{4})>/gi)) found.add(hex!.toLowerCase());
  }
  return found;
}

async function read(pdf: Buffer): Promise<{ pages: number; width: number; height: number; text: string }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const [x0, y0, x1, y1] = (await doc.getPage(1)).view as [number, number, number, number];
  const { text } = await extractText(doc, { mergePages: true });
  return { pages: doc.numPages, width: x1 - x0, height: y1 - y0, text: spaced(text) };
}

describe('certificate PDF', () => {
  for (const lang of ['en', 'fr', 'es'] as const) {
    it(`shows the certificate in ${lang}: heading, name, module, score and pass mark, date, workshop country, verify URL and id`, async () => {
      const pdf = await certificatePdf(input(lang));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length, 'bytes').toBeLessThan(30_000);
      const { pages, width, height, text } = await read(pdf);
      expect(pages).toBe(1);
      expect(Math.abs(width - 841.89), 'A4 landscape width').toBeLessThan(1);
      expect(Math.abs(height - 595.28), 'A4 landscape height').toBeLessThan(1);
      const e = expected[lang];
      expect(text).toContain(e.heading);
      expect(text).toContain(name);
      expect(text).toContain(e.moduleTitle);
      expect(text).toContain(spaced(e.score));
      expect(text).toContain(spaced(e.passMark));
      expect(text).toContain(e.date);
      expect(text).toContain(e.country);
      expect(text).toContain('Dakar, March 2027');
      expect(text).toContain(`https://training.example.org/${lang}/verify/?id=${uuid}`);
      expect(text).toContain(`urn:uuid:${uuid}`);
      expect(text).toContain('Open Badges 3.0');
      const glyphs = characters(pdf);
      if (lang !== 'en') expect(glyphs.has('00a0'), 'no-break space before %').toBe(true);
      if (lang === 'fr') expect(glyphs.has('202f'), 'narrow no-break space before the colon').toBe(true);
    });
  }

  it('leaves out the workshop line when the completion came from no workshop', async () => {
    const alone = input('fr');
    delete alone.workshop;
    const { text } = await read(await certificatePdf(alone));
    expect(text).not.toContain('Atelier');
    expect(text).not.toContain('Sénégal');
    expect(text).toContain('3 décembre 2026');
  });

  it('prints the date of issue as its UTC calendar date', async () => {
    const { text } = await read(await certificatePdf(input('en', { issued: '2027-03-31T23:59:59-05:00' })));
    expect(text).toContain('April 1, 2027');
  });

  it('still produces the PDF when the name has characters the font lacks (CJK, Arabic)', async () => {
    const { pages, text } = await read(await certificatePdf(input('es', { name: 'Ana 王小明 عائشة' })));
    expect(pages).toBe(1);
    expect(text).toContain(expected.es.heading);
  });

  it('renders the same bytes for the same certificate', async () => {
    expect((await certificatePdf(input('en'))).equals(await certificatePdf(input('en')))).toBe(true);
  });

  // No QR decoder is installed (node_modules has qrcode, an encoder only), so the QR code's
  // content is not decoded here; the URL printed under it is checked above.
});
