// Client code of LearnerPanel.astro: the learner form and status, the outbox count, and
// "Continue on another device". Loaded after the page has painted (see the component), so it
// never delays the text.
import { LEARNER_EVENT, OUTBOX_EVENT, captureWorkshopRegistration, chooseLearner, currentLearner, flush } from '../lib/xapi/tracking.ts';
import { ensureCredential } from '../lib/xapi/credential.ts';
import type { Learner } from '../lib/xapi/learner.ts';
import { fill, plural, type PluralForms } from '../i18n/format.ts';
import type { Language } from '../i18n/languages.ts';

const panel = document.querySelector<HTMLElement>('.learner-panel')!;
const { outboxPending, ...strings } = JSON.parse(panel.dataset['strings'] ?? '{}') as Record<string, string> & {
  outboxPending: PluralForms;
};
const welcome = document.querySelector<HTMLElement>('[data-learner-welcome]');
const form = welcome?.querySelector<HTMLFormElement>('[data-learner-form]');
const error = form?.querySelector<HTMLElement>('[data-learner-error]');
const status = panel.querySelector<HTMLElement>('[data-learner-status]')!;
const change = panel.querySelector<HTMLButtonElement>('[data-learner-change]')!;
const transfer = panel.querySelector<HTMLButtonElement>('[data-transfer-open]')!;
const dialog = panel.querySelector<HTMLDialogElement>('[data-transfer]')!;
const outbox = panel.querySelector<HTMLElement>('[data-outbox-status]')!;
const lang = document.documentElement.lang as Language;

const show = (learner: Learner | null) => {
  status.textContent = learner ? fill(strings['signedInAs'] ?? '', { name: learner.name }) : '';
  change.hidden = !learner || !welcome;
  transfer.hidden = !learner;
  document.documentElement.toggleAttribute('data-learner', !!learner);
};

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
  const data = new FormData(form);
  try {
    chooseLearner(
      submitter?.value === 'anonymous' ? null : { name: String(data.get('name') ?? ''), email: String(data.get('email') ?? '') },
      strings['pseudonym'],
    );
    error!.textContent = '';
    // The form hides now; the focus it held would fall to <body>. Move it to the page's heading
    // (else the main content), where a keyboard or screen reader user goes on reading.
    const heading = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    error!.textContent =
      (code === 'email' ? strings['invalidEmail'] : code === 'pending' ? strings['pending'] : strings['invalidName']) ?? '';
  }
});
change.addEventListener('click', () => {
  document.documentElement.removeAttribute('data-learner');
  welcome?.scrollIntoView();
  form?.querySelector<HTMLInputElement>('input')?.focus();
});

// Continue on another device: its code (and the QR code library) load on the first click.
transfer.addEventListener('click', async () => {
  const { showTransfer } = await import('./transfer-dialog.ts');
  await showTransfer(dialog, strings, lang);
});

window.addEventListener(LEARNER_EVENT, (e) => show((e as CustomEvent<Learner>).detail));
window.addEventListener(OUTBOX_EVENT, (e) => {
  const pending = (e as CustomEvent<{ pending: number }>).detail.pending;
  outbox.textContent = pending === 0 ? '' : plural(lang, outboxPending, pending);
  outbox.dataset['pending'] = String(pending);
});

captureWorkshopRegistration();
const learner = currentLearner();
show(learner);
// A learner chosen before credentials existed (or offline) gets theirs now; their local
// progress (dce.progress.*) stays as it is, and what waits in the outbox is sent with it.
if (learner)
  void ensureCredential(learner)
    .catch(() => undefined)
    .finally(() => void flush());
else void flush();
panel.dataset['ready'] = 'true';
