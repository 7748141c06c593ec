// "Continue on another device" in the learner panel (LearnerPanel.astro): a one-time code from
// the server, as text and as the QR code of /{lang}/continue/#code=XXXX-XXXX (a fragment, so the
// code reaches no server log). Loaded by learner-panel.ts on the first click.
import QRCode from 'qrcode';
import { fill, formatDate } from '../i18n/format.ts';
import type { Language } from '../i18n/languages.ts';
import { CredentialError, ensureCredential, transferCode } from '../lib/xapi/credential.ts';
import { currentLearner } from '../lib/xapi/tracking.ts';

let wired = false;

/**
 * Open the transfer dialog and fill it with a new code, or say why there is none (offline, or
 * the server's reason).
 * @param dialog the panel's <dialog data-transfer>
 * @param strings the panel's resolved strings (transferExpires, transferOffline, transferFailed)
 * @param lang the page's language, for the link and the expiry time
 */
export async function showTransfer(dialog: HTMLDialogElement, strings: Record<string, string>, lang: Language): Promise<void> {
  if (!wired) {
    dialog.querySelector('[data-transfer-close]')!.addEventListener('click', () => dialog.close());
    wired = true;
  }
  const message = dialog.querySelector<HTMLElement>('[data-transfer-error]')!;
  const result = dialog.querySelector<HTMLElement>('[data-transfer-result]')!;
  message.textContent = '';
  result.hidden = true;
  dialog.showModal();
  const learner = currentLearner();
  if (!learner) return;
  try {
    const { code, expires } = await transferCode(await ensureCredential(learner));
    const link = new URL(`/${lang}/continue/#code=${encodeURIComponent(code)}`, location.href).href;
    // The SVG is built by the qrcode library from the link alone; no user markup goes in.
    dialog.querySelector<HTMLElement>('[data-transfer-qr]')!.innerHTML = await QRCode.toString(link, {
      type: 'svg',
      margin: 2,
      errorCorrectionLevel: 'M',
    });
    dialog.querySelector<HTMLElement>('[data-transfer-code]')!.textContent = code;
    const anchor = dialog.querySelector<HTMLAnchorElement>('[data-transfer-link]')!;
    anchor.href = link;
    anchor.textContent = new URL(`/${lang}/continue/`, location.href).href;
    const time = formatDate(lang, new Date(expires), { hour: '2-digit', minute: '2-digit' });
    dialog.querySelector<HTMLElement>('[data-transfer-expires]')!.textContent = fill(strings['transferExpires'] ?? '', { time });
    result.hidden = false;
  } catch (e) {
    const offline = e instanceof CredentialError && e.status === undefined;
    message.textContent = offline
      ? (strings['transferOffline'] ?? '')
      : fill(strings['transferFailed'] ?? '', { reason: (e as Error).message });
  }
}
