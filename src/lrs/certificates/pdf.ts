import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Language } from '../../i18n/languages.ts';
import { useTranslations } from '../../i18n/translator.ts';

/** What the PDF shows; every text already in the chosen language except the UI strings, which the function takes from locales/{lang}.json (certificate.pdf.* keys). */
export interface CertificatePdfInput {
  /** The language of the certificate's words, dates, numbers and country name. */
  lang: Language;
  /** The certificate id, e.g. "urn:uuid:3f1c…", printed small for reference. */
  id: string;
  /** The learner's name as they gave it, in any script (Latin, Greek and Cyrillic have glyphs). */
  name: string;
  /** The module's title in `lang`. */
  moduleTitle: string;
  /** The module's number in the curriculum, 1 to 6. */
  moduleNumber: number;
  /** Lessons in the module. */
  lessons: number;
  /** The final assessment's score in percent, 0 to 100 (an integer). */
  scorePercent: number;
  /** The final assessment's pass mark in percent, 0 to 100. */
  passMarkPercent: number;
  /** When the certificate was issued, an ISO 8601 instant; printed as its UTC calendar date. */
  issued: string;
  /** The workshop the completion came from, if any: cohort name and ISO 3166-1 alpha-2 country code. */
  workshop?: { cohort: string; country: string };
  /** The issuer's name, e.g. "Diversity of Cultural Expressions: training platform". */
  issuerName: string;
  /** Absolute URL of this certificate's verification page, drawn as a QR code and printed under it. */
  verifyUrl: string;
}

// A4 landscape in PDF points (ISO 216: 297 × 210 mm).
const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 64;
const TEXT_WIDTH = PAGE.width - 2 * MARGIN;
const INK = '#000000';
const SOFT = '#404040';

// Noto Sans (SIL Open Font License), whole TTFs from @expo-google-fonts/noto-sans: one file per
// weight covers Latin, Greek and Cyrillic, where @fontsource/noto-sans splits each script into
// its own file. pdfkit embeds only the glyphs a document uses. A character the font lacks (CJK,
// Arabic) is drawn as its empty box; the PDF is still produced.
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
} as const;
type Face = keyof typeof FONT_FILES;
let fonts: Record<Face, Buffer> | undefined;

function loadFonts(): Record<Face, Buffer> {
  if (fonts === undefined) {
    const require = createRequire(import.meta.url);
    fonts = { regular: readFileSync(require.resolve(FONT_FILES.regular)), bold: readFileSync(require.resolve(FONT_FILES.bold)) };
  }
  return fonts;
}

/** The certificate's sentences, in its language. */
interface Texts {
  title: string;
  certifies: string;
  completed: string;
  workshop: string | undefined;
  issued: string;
  issuer: string;
  scan: string;
  id: string;
  note: string;
}

function texts(input: CertificatePdfInput): Texts {
  const { lang } = input;
  const t = useTranslations(lang);
  const percent = new Intl.NumberFormat(lang, { style: 'percent' });
  // The date of issue in UTC, so that one certificate shows one date wherever it is rendered.
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(input.issued));
  const workshop = input.workshop;
  const country = workshop && (new Intl.DisplayNames([lang], { type: 'region' }).of(workshop.country.toUpperCase()) ?? workshop.country);
  return {
    title: t('certificate.pdf.title'),
    certifies: t('certificate.pdf.certifies'),
    completed: t('certificate.pdf.completed', {
      count: input.lessons,
      number: input.moduleNumber,
      title: input.moduleTitle,
      score: percent.format(input.scorePercent / 100),
      passMark: percent.format(input.passMarkPercent / 100),
    }),
    workshop: workshop && t('certificate.pdf.workshop', { cohort: workshop.cohort, country }),
    issued: t('certificate.pdf.issued', { date }),
    issuer: t('certificate.pdf.issuer', { issuer: input.issuerName }),
    scan: t('certificate.pdf.scan'),
    id: t('certificate.pdf.id', { id: input.id }),
    note: t('certificate.pdf.note'),
  };
}

/** The largest size, from `size` down to `min`, at which `text` fits on one line of `width`. */
function fitSize(doc: PDFKit.PDFDocument, face: Face, text: string, width: number, size: number, min: number): number {
  doc.font(face);
  let s = size;
  while (s > min && doc.fontSize(s).widthOfString(text) > width) s -= 0.5;
  return s;
}

/**
 * Draw a QR code as vector squares, one filled rectangle per horizontal run of dark modules
 * (runs rather than single squares leave no hairline seams between neighbours in viewers).
 */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const unit = size / n;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n;) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      doc.rect(x + start * unit, y + row * unit, (col - start) * unit, unit);
    }
  }
  doc.fill(INK);
}

function drawFrame(doc: PDFKit.PDFDocument): void {
  doc
    .lineWidth(1.5)
    .rect(24, 24, PAGE.width - 48, PAGE.height - 48)
    .stroke(INK);
  doc
    .lineWidth(0.5)
    .rect(30, 30, PAGE.width - 60, PAGE.height - 60)
    .stroke(INK);
}

/** The heading, the name and the sentence of completion, centred in the upper part of the page. */
function drawBody(doc: PDFKit.PDFDocument, input: CertificatePdfInput, words: Texts): void {
  const centred = { width: TEXT_WIDTH, align: 'center' } as const;
  doc
    .font('bold')
    .fontSize(fitSize(doc, 'bold', words.title, TEXT_WIDTH, 30, 18))
    .fillColor(INK)
    .text(words.title, MARGIN, 82, centred);
  doc
    .moveTo(PAGE.width / 2 - 60, 132)
    .lineTo(PAGE.width / 2 + 60, 132)
    .lineWidth(0.75)
    .stroke(INK);
  doc.font('regular').fontSize(13).fillColor(SOFT).text(words.certifies, MARGIN, 156, centred);
  // A long name shrinks to stay on one line; past 16 pt it wraps instead.
  const nameSize = fitSize(doc, 'bold', input.name, TEXT_WIDTH, 30, 16);
  doc.font('bold').fontSize(nameSize).fillColor(INK).text(input.name, MARGIN, 180, centred);
  doc
    .font('regular')
    .fontSize(13)
    .fillColor(INK)
    .text(words.completed, MARGIN + 40, doc.y + 12, { width: TEXT_WIDTH - 80, align: 'center', lineGap: 3 });
  if (words.workshop !== undefined)
    doc
      .fontSize(12)
      .fillColor(SOFT)
      .text(words.workshop, MARGIN, doc.y + 10, centred);
}

/** The date and issuer at the bottom left, the QR code with its caption and URL at the bottom right. */
function drawFooter(doc: PDFKit.PDFDocument, input: CertificatePdfInput, words: Texts): void {
  const qrSize = 92;
  const qrColumn = { left: PAGE.width - MARGIN - 270, width: 270 };
  const qrTop = 372;
  drawQr(doc, input.verifyUrl, qrColumn.left + (qrColumn.width - qrSize) / 2, qrTop, qrSize);
  const below = { width: qrColumn.width, align: 'center', lineBreak: false } as const;
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(INK)
    .text(words.scan, qrColumn.left, qrTop + qrSize + 8, below);
  const urlSize = fitSize(doc, 'regular', input.verifyUrl, qrColumn.width, 7.5, 4.5);
  doc
    .font('regular')
    .fontSize(urlSize)
    .fillColor(SOFT)
    .text(input.verifyUrl, qrColumn.left, qrTop + qrSize + 22, below);

  const leftWidth = qrColumn.left - MARGIN - 24;
  doc.font('regular').fontSize(12).fillColor(INK).text(words.issued, MARGIN, 400, { width: leftWidth });
  doc
    .fontSize(11)
    .fillColor(SOFT)
    .text(words.issuer, MARGIN, doc.y + 4, { width: leftWidth });

  doc
    .moveTo(MARGIN, 510)
    .lineTo(PAGE.width - MARGIN, 510)
    .lineWidth(0.5)
    .stroke(SOFT);
  const noteSize = fitSize(doc, 'regular', words.note, TEXT_WIDTH, 8, 6);
  doc.font('regular').fontSize(noteSize).fillColor(INK).text(words.note, MARGIN, 518, { width: TEXT_WIDTH, lineBreak: false });
  doc.fontSize(7).fillColor(SOFT).text(words.id, MARGIN, 532, { width: TEXT_WIDTH, lineBreak: false });
}

/**
 * Render a certificate of completion as a PDF: one A4 landscape page, black on white, with the
 * learner's name, the module, the score and pass mark, the workshop if any, the date of issue,
 * the issuer, a QR code of the verification page and the certificate id. UI strings come from
 * locales/{lang}.json (certificate.pdf.*), numbers and dates from `Intl` in `lang`. Text is set in
 * Noto Sans, embedded as a subset, so names in Latin, Greek and Cyrillic scripts render.
 * @param input what the certificate says (see CertificatePdfInput); scores in percent, 0 to 100
 * @returns the PDF bytes (about 14 KB: two font subsets, compressed streams)
 * @throws RangeError when `issued` is not a date or `workshop.country` is not a region code
 *   (from Intl); Error when the URL is too long for a QR code (from qrcode)
 */
export async function certificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const words = texts(input);
  const faces = loadFonts();
  const issued = new Date(input.issued);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    lang: input.lang,
    displayTitle: true,
    // The issue date stands for the creation date, so one certificate renders to the same bytes.
    info: {
      Title: `${words.title}: ${input.name}`,
      Author: input.issuerName,
      Subject: input.moduleTitle,
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', faces.regular);
  doc.registerFont('bold', faces.bold);
  doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
  drawFrame(doc);
  drawBody(doc, input, words);
  drawFooter(doc, input, words);
  doc.end();
  return done;
}
