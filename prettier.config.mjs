// Prettier, run by `npm run format` (writes) and `npm run format:check` (`npm test` runs it).
// The options are the style most of the code already had: single quotes (12,295 single-quoted
// strings against 1,593 double-quoted), trailing commas on multi-line literals (663 against 394),
// two spaces, semicolons, double quotes in JSX and HTML attributes. printWidth 140: the first
// pass at 120 rewrote 2,001 lines (into 7,750), at 140 1,506 (into 4,969). Prettier does not
// wrap strings, template literals or comments, so a few lines stay longer.
// What is not formatted, and why: .prettierignore.

/** @type {import('prettier').Config} */
export default {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
  plugins: ['prettier-plugin-astro'],
  overrides: [{ files: '*.astro', options: { parser: 'astro' } }],
};
