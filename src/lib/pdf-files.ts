/**
 * The PDF files of a release build, as the pages link to them: src/integrations/pdf.ts prints
 * them after the build, and the module, guide and material pages show their links only when the
 * build makes them.
 */

/** True when this build publishes PDF files (the release build: `npm run build:release`, BUILD_PDF=1). */
export const buildsPdf = (): boolean => process.env['BUILD_PDF'] === '1';

/**
 * The papers a printable material is printed on: the suffix of its PDF file and Playwright's
 * page.pdf `format` (A4 is 210 x 297 mm, US Letter 8.5 x 11 in). Material pages fit both
 * portrait (src/styles/global.css, "Printable materials").
 */
export const materialPapers = [
  { suffix: 'a4', format: 'A4' },
  { suffix: 'letter', format: 'Letter' },
] as const;

/**
 * The file name of a material's PDF on one paper, next to its page
 * (/{lang}/modules/{module}/materials/{slug}-{suffix}.pdf beside .../materials/{slug}/).
 * @param slug the material's slug (its file name in content/{lang}/materials/{module}/)
 * @param suffix a suffix of `materialPapers`
 */
export const materialPdfName = (slug: string, suffix: (typeof materialPapers)[number]['suffix']): string => `${slug}-${suffix}.pdf`;
