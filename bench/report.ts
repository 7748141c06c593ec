import { v4 as uuidv4 } from 'uuid';
import type { Statement } from '@xapi/xapi';
import { ReportBuilder } from '../src/lib/report/aggregate.ts';
import { readStatementsWithAttachments } from '../src/lib/report/fetch.ts';
import { JWKS_PATH, createVerifier, fetchJwks, needsVerification } from '../src/lib/report/verify.ts';
import { lessonCompleted, moduleCompleted, questionAnswered, quizScored, type EventContext } from '../src/lib/xapi/statements.ts';
import { lessonId, moduleId, quizId } from '../src/lib/xapi/activities.ts';
import { moduleSlugs } from '../src/schemas/module.ts';
import type { Question } from '../src/schemas/quiz.ts';
import { readCommandLine, usageError } from '../scripts/cli.ts';
import { languages } from '../src/i18n/languages.ts';
import type { LocalizedText } from '../src/schemas/localized.ts';
import { startServer } from './server.ts';

// Loads N realistic statements (default 100,000: many learners, all six modules, three
// languages, several cohorts and countries) into the embedded LRS over HTTP, then times the
// Secretariat's report end to end (paging through GET /statements + aggregation) and prints
// statements per second and memory. Heap use is sampled as the stream goes: it must stay flat
// (the aggregation streams). Usage: npm run bench:report [-- 100000]

const command = {
  name: 'npm run bench:report',
  usage: `usage: npm run bench:report [-- N]

Loads N realistic statements (default 100000) into the embedded LRS over HTTP, then times the
Secretariat's report end to end and prints statements per second and memory.

options:
  --help   print this and exit`,
};
const { positionals } = readCommandLine(command, { allowPositionals: true, options: {} });
if (positionals.length > 1) usageError(command, `takes one number of statements, not ${positionals.length} arguments`);
const count = positionals[0] ?? '100000';
if (!/^[1-9]\d*$/.test(count)) usageError(command, `N must be a positive whole number of statements, not "${count}"`);
const total = Number(count);
const write = `Basic ${Buffer.from('site:site-write-secret').toString('base64')}`;
const cohorts = [
  ['Dakar 2027', 'SN'],
  ['Bogotá 2027', 'CO'],
  ['Hanoi 2027', 'VN'],
  ['Nairobi 2027', 'KE'],
  ['Rabat 2027', 'MA'],
  ['Lima 2027', 'PE'],
  ['Self-study', ''],
] as const;
const names = (en: string) => Object.fromEntries(languages.map((l) => [l, en])) as LocalizedText;
const question = (i: number): Question => ({
  type: 'single-choice',
  id: `q${i}`,
  prompt: names(`Question ${i}`),
  options: ['a', 'b', 'c'].map((id) => ({ id, text: names(id), feedback: names(id) })),
  correct: 'b',
});
const questions = Array.from({ length: 6 }, (_, i) => question(i + 1));
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** One learner's session: a lesson quiz (6 answers + passed/failed), sometimes lesson and module completion. */
function* session(learner: number): Generator<Statement> {
  const module = pick(moduleSlugs);
  const lang = pick(languages);
  const [cohort, country] = pick(cohorts);
  const base: Omit<EventContext, 'id' | 'timestamp'> = {
    actor: { objectType: 'Agent', name: `Learner ${learner}`, mbox: `mailto:learner${learner}@example.org` },
    registration: uuidv4(),
    language: lang,
    workshop: country ? { cohort, country } : undefined,
  };
  const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000);
  let tick = 0;
  const ctx = (): EventContext => ({ ...base, id: uuidv4(), timestamp: new Date(day.getTime() + tick++ * 1000).toISOString() });
  const m = { id: moduleId(module), name: names(module) };
  const lesson = { id: lessonId(module, 'lesson-1'), name: names('Lesson 1') };
  const ref = { quiz: { id: quizId(`${module}-l1`), name: names('Quiz') }, module: m, lesson };
  let raw = 0;
  for (const q of questions) {
    const answer = random() < 0.75 ? 'b' : pick(['a', 'c']);
    if (answer === 'b') raw++;
    yield questionAnswered(ctx(), ref, `${module}-l1`, q, [answer]);
  }
  yield quizScored(ctx(), ref, { raw, max: questions.length, passMark: 0.8, durationMs: 60_000 + random() * 600_000 });
  if (raw / questions.length >= 0.8) {
    yield lessonCompleted(ctx(), { module: m, lesson });
    if (random() < 0.3) yield moduleCompleted(ctx(), m);
  }
}

const server = await startServer(4505);
try {
  let loaded = 0;
  let batch: Statement[] = [];
  const started = performance.now();
  const flush = async () => {
    const r = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: { Authorization: write, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (!r.ok) throw new Error(`POST failed: ${r.status} ${await r.text()}`);
    loaded += batch.length;
    batch = [];
  };
  for (let learner = 0; loaded + batch.length < total; learner++)
    for (const s of session(learner)) {
      batch.push(s);
      if (loaded + batch.length >= total) break;
      if (batch.length === 200) await flush();
    }
  if (batch.length) await flush();
  const loadSeconds = (performance.now() - started) / 1000;
  console.log(`loaded ${loaded} statements over HTTP in ${loadSeconds.toFixed(1)} s (${Math.round(loaded / loadSeconds)} statements/s)`);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const samples: string[] = [];
  const builder = new ReportBuilder();
  const t0 = performance.now();
  let read = 0;
  // As the review page reads: attachments=true (multipart/mixed), completions and passes checked
  // against the site's published keys (src/lib/report/verify.ts).
  const verify = createVerifier(await fetchJwks(`${server.url}${JWKS_PATH}`), server.url);
  for await (const { statement: s, parts } of readStatementsWithAttachments({
    endpoint: `${server.url}/xapi/`,
    key: 'reviewer',
    secret: 'reviewer-read-secret',
  })) {
    builder.add(s, needsVerification(s) ? (await verify(s, parts)).status : undefined);
    read++;
    if (read % Math.max(1, Math.floor(total / 5)) === 0)
      samples.push(`${read}: ${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(1)} MB`);
  }
  const report = builder.result();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`report: ${read} statements read and aggregated in ${seconds.toFixed(1)} s (${Math.round(read / seconds)} statements/s)`);
  console.log(
    `  ${report.groups.length} groups, ${report.learners.length} learner-module rows, ${report.questions.length} questions, ${report.timeline.length} days`,
  );
  console.log(`  heap growth above the start, sampled while streaming: ${samples.join('; ')}`);
  console.log(`  peak resident memory of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  server.stop();
}
