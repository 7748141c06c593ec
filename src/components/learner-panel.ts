// Client code of LearnerPanel.astro: the learner form and status, the outbox count, and
// "Continue on another device". Loaded after the page has painted (see the component), so it
// never delays the text.
import {
  LEARNER_EVENT,
  OUTBOX_EVENT,
  captureWorkshopRegistration,
  chooseLearner,
  currentLearner,
  flush,
} from '../lib/xapi/tracking.ts';
import { CredentialError, ensureCredential, transferCode } from '../lib/xapi/credential.ts';
import type { Learner } from '../lib/xapi/learner.ts';

const panel = document.querySelector<HTMLElement>('.learner-panel')!;
const strings = JSON.parse(panel.dataset['strings'] ?? '{}') as Record<string, string>;
const welcome = document.querySelector<HTMLElement>('[data-learner-welcome]');
const form = welcome?.querySelector<HTMLFormElement>('[data-learner-form]');
const error = form?.querySelector<HTMLElement>('[data-learner-error]');
const status = panel.querySelector<HTMLElement>('[data-learner-status]')!;
const change = panel.querySelector<HTMLButtonElement>('[data-learner-change]')!;
const transfer = panel.querySelector<HTMLButtonElement>('[data-transfer-open]')!;
const dialog = panel.querySelector<HTMLDialogElement>('[data-transfer]')!;
const outbox = panel.querySelector<HTMLElement>('[data-outbox-status]')!;
const lang = document.documentElement.lang;

const show = (learner: Learner | null) => {
  status.textContent = learner ? (strings['signedInAs'] ?? '').replace('{{name}}', learner.name) : '';
  change.hidden = !learner || !welcome;
  transfer.hidden = !learner;
  document.documentElement.toggleAttribute('data-learner', !!learner);
};

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
  const data = new FormData(form);
  try {
    chooseLearner(submitter?.value === 'anonymous' ? null : { name: String(data.get('name') ?? ''), email: String(data.get('email') ?? '') }, strings['pseudonym']);
    error!.textContent = '';
  } catch (e) {
    const code = (e as { code?: string }).code;
    error!.textContent = (code === 'email' ? strings['invalidEmail'] : code === 'pending' ? strings['pending'] : strings['invalidName']) ?? '';
  }
});
change.addEventListener('click', () => {
  document.documentElement.removeAttribute('data-learner');
  welcome?.scrollIntoView();
  form?.querySelector<HTMLInputElement>('input')?.focus();
});

// Continue on another device: a one-time code from the server, as text and as the QR code of
// /{lang}/continue/#code=XXXX-XXXX (the fragment never reaches a server log).
transfer.addEventListener('click', async () => {
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
    const { default: QRCode } = await import('qrcode');
    // The SVG is built by the qrcode library from the link alone; no user markup goes in.
    dialog.querySelector<HTMLElement>('[data-transfer-qr]')!.innerHTML = await QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    dialog.querySelector<HTMLElement>('[data-transfer-code]')!.textContent = code;
    const anchor = dialog.querySelector<HTMLAnchorElement>('[data-transfer-link]')!;
    anchor.href = link;
    anchor.textContent = new URL(`/${lang}/continue/`, location.href).href;
    const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(new Date(expires));
    dialog.querySelector<HTMLElement>('[data-transfer-expires]')!.textContent = (strings['transferExpires'] ?? '').replace('{{time}}', time);
    result.hidden = false;
  } catch (e) {
    const offline = e instanceof CredentialError && e.status === undefined;
    message.textContent = offline ? (strings['transferOffline'] ?? '') : (strings['transferFailed'] ?? '').replace('{{reason}}', (e as Error).message);
  }
});
dialog.querySelector('[data-transfer-close]')!.addEventListener('click', () => dialog.close());

window.addEventListener(LEARNER_EVENT, (e) => show((e as CustomEvent<Learner>).detail));
window.addEventListener(OUTBOX_EVENT, (e) => {
  const pending = (e as CustomEvent<{ pending: number }>).detail.pending;
  const template = new Intl.PluralRules(lang).select(pending) === 'one' ? strings['pendingOne'] : strings['pendingOther'];
  outbox.textContent = pending === 0 ? '' : (template ?? '').replace('{{count}}', String(pending));
  outbox.dataset['pending'] = String(pending);
});

captureWorkshopRegistration();
const learner = currentLearner();
show(learner);
// A learner chosen before credentials existed (or offline) gets theirs now; their local
// progress (dce.progress.*) stays as it is, and what waits in the outbox is sent with it.
if (learner) void ensureCredential(learner).catch(() => undefined).finally(() => void flush());
else void flush();
panel.dataset['ready'] = 'true';
