import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fill } from '../src/i18n/format.ts';
import { isLanguage } from '../src/i18n/languages.ts';
import { answerLines, wordsFrom } from '../src/lib/answer-key.ts';
import { loadFinalAssessments } from '../src/lrs/final-assessments.ts';

// `npm run answer-key -- <module> <lang>`: print the answer key of a module's final assessment,
// for a facilitator, on their own computer. The key is in no built file (the server grades final
// assessments, issue 11), so the facilitator guide points here. The same wording as the guide's
// keys for knowledge checks (src/lib/answer-key.ts); the quiz is read and checked as the server
// reads it (src/lrs/final-assessments.ts). CONTENT_DIR chooses another content tree.

const usage = 'usage: npm run answer-key -- <module> <en|fr|es>   e.g. npm run answer-key -- understanding-the-convention fr';
const [module, lang] = process.argv.slice(2);
if (!module || !isLanguage(lang)) {
  console.error(usage);
  process.exit(2);
}
const contentDir = process.env['CONTENT_DIR'] || 'content';
const found = [...loadFinalAssessments(contentDir).values()].filter((a) => a.quiz.module === module);
if (found.length === 0) {
  console.error(`no final assessment for module "${module}" in ${join(contentDir, 'quizzes')}`);
  process.exit(1);
}
const strings = JSON.parse(readFileSync(join('locales', `${lang}.json`), 'utf8')) as Record<string, string>;
const words = wordsFrom(strings);
for (const { id, quiz } of found) {
  console.log(`${quiz.title[lang]} (${id}), ${fill(strings['quiz.passMark'] ?? '', { percent: Math.round(quiz.passMark * 100) }, lang)}\n`);
  quiz.questions.forEach((q, i) => {
    console.log(`${i + 1}. ${q.prompt[lang]}`);
    for (const line of answerLines(q, lang, words)) console.log(`   ${strings['guide.answer'] ?? 'Answer'}: ${line}`);
  });
}
