// The learner's certificate in ModuleProgress.astro, loaded on the first click of "Get my
// certificate": asks the site's server for it (POST /api/certificates, src/lrs/routes/certificates.ts)
// with the learner's own credential, then offers the PDF in the chosen language, the credential
// file for an Open Badges wallet, and the verification page.
import type { CertificateAnswer } from '../lrs/routes/certificates.ts';
import type { Language } from '../i18n/languages.ts';
import { fill } from '../i18n/format.ts';
import { CredentialError, apiUrl, forgetCredential } from '../lib/xapi/credential.ts';
import { learnerAuthorization } from '../lib/xapi/tracking.ts';

/** Why the server gave no certificate: its HTTP status (none when unreachable) and its reason. */
class CertificateRequestError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'CertificateRequestError';
    this.status = status;
  }
}

/**
 * Ask for the learner's certificate of a module: the one issued before, else a new one
 * (POST /api/certificates { module }, HTTP Basic with the learner's credential, RFC 7617).
 * @param module the module's slug, e.g. "understanding-the-convention"
 * @returns the certificate with its links (CertificateAnswer)
 * @throws CertificateRequestError with the status (409: no verified completion yet; 401: the
 *   credential is no longer known, and is forgotten) or without one when the server cannot be
 *   reached; CredentialError when no credential can be had (src/lib/xapi/credential.ts)
 */
async function requestCertificate(module: string): Promise<CertificateAnswer> {
  const authorization = await learnerAuthorization();
  let response: Response;
  try {
    response = await fetch(apiUrl('certificates'), {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ module }),
      credentials: 'omit',
    });
  } catch (error) {
    throw new CertificateRequestError((error as Error).message);
  }
  const answer = (await response.json().catch(() => null)) as (CertificateAnswer & { message?: string }) | null;
  if (!response.ok) {
    if (response.status === 401) forgetCredential();
    throw new CertificateRequestError(answer?.message ?? response.statusText, response.status);
  }
  if (answer === null || typeof answer.links?.credential !== 'string')
    throw new CertificateRequestError('the server answered without a certificate', response.status);
  return answer;
}

/**
 * Get the learner's certificate for the module of a ModuleProgress certificate block and show
 * its links; focus moves to "Your certificate is ready" so that a keyboard or screen reader user
 * goes on from there. Errors are shown in the block's alert: no verified completion yet (409),
 * offline, or the server's reason.
 * @param block the `[data-certificate]` element (data-module, data-strings)
 */
export async function showCertificate(block: HTMLElement): Promise<void> {
  const s = JSON.parse(block.dataset['strings'] ?? '{}') as Record<string, string>;
  const button = block.querySelector<HTMLButtonElement>('[data-certificate-get]')!;
  const status = block.querySelector<HTMLElement>('[data-certificate-status]')!;
  const error = block.querySelector<HTMLElement>('[data-certificate-error]')!;
  const result = block.querySelector<HTMLElement>('[data-certificate-result]')!;
  const select = block.querySelector<HTMLSelectElement>('[data-certificate-lang]')!;
  const pdf = block.querySelector<HTMLAnchorElement>('[data-certificate-pdf]')!;
  const lang = document.documentElement.lang as Language;
  button.disabled = true;
  error.textContent = '';
  status.textContent = s['working'] ?? '';
  try {
    const answer = await requestCertificate(block.dataset['module'] ?? '');
    const showPdf = () => (pdf.href = answer.links.pdf[select.value as Language] ?? answer.links.pdf[lang]);
    showPdf();
    select.onchange = showPdf;
    block.querySelector<HTMLAnchorElement>('[data-certificate-credential]')!.href = answer.links.credential;
    block.querySelector<HTMLAnchorElement>('[data-certificate-verify]')!.href = answer.links.verify[lang];
    status.textContent = '';
    button.hidden = true;
    result.hidden = false;
    result.querySelector<HTMLElement>('[data-certificate-ready]')!.focus();
  } catch (e) {
    status.textContent = '';
    const httpStatus = e instanceof CertificateRequestError || e instanceof CredentialError ? e.status : undefined;
    error.textContent =
      httpStatus === 409
        ? (s['noCompletion'] ?? '')
        : httpStatus === undefined
          ? (s['offline'] ?? '')
          : fill(s['failed'] ?? '', { reason: (e as Error).message });
  } finally {
    button.disabled = false;
  }
}
