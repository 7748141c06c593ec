import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import { e2eDb } from '../../playwright.config.ts';
import { correctResponse } from '../../src/lib/grading.ts';
import { lessonId } from '../../src/lib/xapi/activities.ts';
import { loadModuleFacts } from '../../src/lrs/certificates/modules.ts';
import { answerQuiz, chooseLearner, loadQuiz, waitForOutboxEmpty } from './helpers.ts';

// Issue 14, "Done when": a learner who completes a module (final assessment graded by the server)
// downloads the PDF certificate and the credential from the progress panel; the verification
// page says valid, says invalid for a copy with one character of the name changed, and says
// revoked after the Secretariat's `certificates revoke`.

const module = 'understanding-the-convention';
const finalQuiz = loadQuiz('m1-final-assessment');
const name = 'Amina Diallo';
const lessons = loadModuleFacts('content').get(module)!.lessonSlugs;

/** The verification page's live region. */
const verdict = (page: Page) => page.locator('[data-verify-result]');

/** Choose a credential file on the verification page (the check starts on the file's change). */
async function checkFile(page: Page, path: string) {
  await expect(page.locator('[data-verify-form][data-ready="true"]')).toHaveCount(1);
  await page.getByLabel(/Credential file|Fichier de l'attestation/).setInputFiles(path);
}

/**
 * The credential with one character of the learner's name changed in its payload: base64url-
 * decoded, the character replaced, encoded again; header and signature kept as they were.
 */
function alteredCopy(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const json = Buffer.from(payload, 'base64url').toString('utf8');
  const claims = JSON.parse(json) as { credentialSubject: { identifier: { identityHash: string }[] } };
  const original = claims.credentialSubject.identifier[0]!.identityHash;
  expect(original).toBe(name);
  const changed = `${original.slice(0, -1)}${original.endsWith('o') ? 'a' : 'o'}`;
  const edited = json.replace(JSON.stringify(original), JSON.stringify(changed));
  expect(edited).not.toBe(json);
  return `${header}.${Buffer.from(edited, 'utf8').toString('base64url')}.${signature}`;
}

test('a learner gets a certificate of a completed module; the verification page says valid, altered, then revoked', async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: baseURL!, acceptDownloads: true });
  const page = await context.newPage();
  const registration = crypto.randomUUID();
  await page.goto(`/en/modules/${module}/?registration=${registration}&cohort=${encodeURIComponent('Dakar, March 2026')}&country=SN`);
  await chooseLearner(page, name, '');

  // Every lesson's knowledge check, then the final assessment graded by the server, answered
  // right through the pages.
  for (const slug of lessons) {
    await page.goto(`/en/modules/${module}/${slug}/`);
    const quizKey = (await page.locator('.quiz-section').getAttribute('aria-labelledby'))!.replace(/-title$/, '');
    await answerQuiz(page, loadQuiz(quizKey), 'en', () => true);
    await page.locator('.quiz button[type=submit]').click();
    await expect(page.locator('.quiz-outcome')).toBeVisible();
  }
  await page.goto(`/en/modules/${module}/assessment/`);
  await answerQuiz(page, finalQuiz, 'en', () => true);
  await page.locator('.quiz button[type=submit]').click();
  await expect(page.locator('.quiz-outcome')).toBeVisible();
  await waitForOutboxEmpty(page);

  // The progress panel of the module offers the certificate.
  await page.goto(`/en/modules/${module}/`);
  const progress = page.getByRole('region', { name: 'Your progress' });
  await progress.getByRole('button', { name: 'Get my certificate' }).click();
  await expect(progress.getByText('Your certificate is ready.')).toBeFocused();
  const panelScan = await new AxeBuilder({ page }).include('.module-progress').analyze();
  expect(panelScan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  await progress.getByLabel('Language of the PDF certificate').selectOption({ label: 'Français' });
  const [pdfDownload] = await Promise.all([
    page.waitForEvent('download'),
    progress.getByRole('link', { name: 'Download the certificate (PDF)' }).click(),
  ]);
  const pdfBytes = readFileSync((await pdfDownload.path())!);
  expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdfBytes)), { mergePages: true });
  expect(text).toContain(name);
  expect(text).toContain('Comprendre la Convention');

  const [credentialDownload] = await Promise.all([
    page.waitForEvent('download'),
    progress.getByRole('link', { name: 'Download the credential file (for an Open Badges wallet)' }).click(),
  ]);
  const credentialFile = testInfo.outputPath('certificate.jwt');
  await credentialDownload.saveAs(credentialFile);
  const jwt = readFileSync(credentialFile, 'utf8').trim();
  const id = (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { jti: string }).jti.replace('urn:uuid:', '');
  const alteredFile = testInfo.outputPath('certificate-altered.jwt');
  writeFileSync(alteredFile, alteredCopy(jwt));

  // The QR code's link: the verification page fetches the certificate by its id.
  await progress.getByRole('link', { name: 'Check this certificate on the verification page' }).click();
  await expect(page).toHaveURL(`/en/verify/?id=${id}`);
  await expect(verdict(page)).toContainText(`This certificate is valid: issued by`);
  await expect(verdict(page)).toContainText(`to ${name} for “Understanding the Convention” on`);

  // The file, as a verifier receives it.
  await page.goto('/en/verify/');
  await checkFile(page, credentialFile);
  await expect(verdict(page)).toHaveAttribute('data-status', 'valid');
  await expect(verdict(page)).toContainText(`This certificate is valid: issued by`);
  await expect(verdict(page)).toContainText(name);
  await expect(verdict(page)).toContainText('Score in the final assessment: 100% (pass mark 80%).');
  await expect(verdict(page)).toContainText('Workshop: Dakar, March 2026, Senegal.');
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // One character of the name changed: the signature no longer matches.
  await checkFile(page, alteredFile);
  await expect(verdict(page)).toHaveAttribute('data-status', 'invalid');
  await expect(verdict(page)).toHaveText(
    'This certificate is not valid: it was altered after it was issued, or it was not signed by this site.',
  );

  // The same file pasted as the learner's API answer ({"credential": …}) in a .json file.
  const jsonFile = testInfo.outputPath('certificate.json');
  writeFileSync(jsonFile, JSON.stringify({ credential: jwt }));
  await checkFile(page, jsonFile);
  await expect(verdict(page)).toHaveAttribute('data-status', 'valid');

  // The Secretariat revokes it, with its command, in the e2e server's database.
  const revoked = spawnSync(process.execPath, ['src/lrs/server.ts', 'certificates', 'revoke', id], {
    env: { ...process.env, LRS_DB_PATH: e2eDb, LRS_DATABASE_URL: '' },
    encoding: 'utf8',
  });
  expect(revoked.status, revoked.stderr).toBe(0);
  expect(revoked.stdout).toContain(`revoked ${id}`);

  await page.reload();
  await checkFile(page, credentialFile);
  await expect(verdict(page)).toHaveAttribute('data-status', 'revoked');
  await expect(verdict(page)).toContainText('This certificate was revoked by the issuer.');
  await page.goto(`/en/verify/?id=${id}`);
  await expect(verdict(page)).toContainText('This certificate was revoked by the issuer.');
  await context.close();
});

test('the verification page works offline once visited, with the revocation list it kept, in French', async ({
  browser,
  baseURL,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  // A certificate issued through the API, as the learner's panel asks for it.
  const learner = (await (await request.post('/api/learners', { data: { name: 'Awa Traoré' } })).json()) as {
    key: string;
    secret: string;
    agent: object;
  };
  const auth = `Basic ${Buffer.from(`${learner.key}:${learner.secret}`).toString('base64')}`;
  // The lessons' completions, as the learner's browser sends them when knowledge checks pass.
  const completed = await request.post('/xapi/statements', {
    headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3' },
    data: lessons.map((lesson) => ({
      actor: learner.agent,
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { objectType: 'Activity', id: lessonId(module, lesson) },
      result: { completion: true },
    })),
  });
  expect(completed.status(), await completed.text()).toBe(200);
  const graded = await request.post('/api/assessments/m1-final-assessment/attempts', {
    headers: { Authorization: auth },
    data: {
      attempt: crypto.randomUUID(),
      timestamp: new Date().toISOString(),
      language: 'fr',
      registration: crypto.randomUUID(),
      responses: Object.fromEntries(finalQuiz.questions.map((q) => [q.id, correctResponse(q)])),
      durationMs: 300_000,
    },
  });
  expect(graded.status(), await graded.text()).toBe(200);
  const issued = await request.post('/api/certificates', { headers: { Authorization: auth }, data: { module } });
  expect(issued.status(), await issued.text()).toBe(200);
  const file = testInfo.outputPath('awa.jwt');
  writeFileSync(file, ((await issued.json()) as { credential: string }).credential);

  const context = await browser.newContext({ baseURL: baseURL! });
  const page = await context.newPage();
  await page.goto('/fr/verify/');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await checkFile(page, file);
  await expect(verdict(page)).toContainText('Ce certificat est valide\u202f: délivré par');
  // The page keeps itself and its files in the service worker's caches.
  await expect.poll(() => page.evaluate(async () => !!(await caches.match('/fr/verify/', { ignoreSearch: true })))).toBe(true);

  await context.setOffline(true);
  await page.goto('/fr/verify/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifier un certificat');
  await checkFile(page, file);
  await expect(verdict(page)).toHaveAttribute('data-status', 'valid');
  await expect(verdict(page)).toContainText('Awa Traoré');
  await expect(verdict(page)).toContainText('conservées sur cet appareil (hors ligne)');
  await context.close();
});

for (const [lang, link, heading] of [
  ['en', 'Check a certificate', 'Check a certificate'],
  ['fr', 'Vérifier un certificat', 'Vérifier un certificat'],
  ['es', 'Verificar un certificado', 'Verificar un certificado'],
] as const) {
  test(`the verification page in ${lang} is linked from the footer and has no serious or critical accessibility violation`, async ({
    page,
  }) => {
    await page.goto(`/${lang}/glossary/`);
    await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
    await expect(page).toHaveURL(`/${lang}/verify/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    // A paste that is no credential: the live region says so in the page's language.
    await expect(page.locator('[data-verify-form][data-ready="true"]')).toHaveCount(1);
    await page.locator('#verify-text').fill('not a credential');
    await page.locator('[data-verify-form] button[type=submit]').click();
    await expect(verdict(page)).toHaveAttribute('data-status', 'invalid');
    await expect(verdict(page)).not.toBeEmpty();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
}
