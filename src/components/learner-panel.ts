// Client code of LearnerPanel.astro: the learner form and status, the outbox count.
// Loaded after the page has painted (see the component), so it never delays the text.
import {
  LEARNER_EVENT,
  OUTBOX_EVENT,
  captureWorkshopRegistration,
  chooseLearner,
  currentLearner,
  flush,
} from '../lib/xapi/tracking.ts';
import type { Learner } from '../lib/xapi/learner.ts';

const panel = document.querySelector<HTMLElement>('.learner-panel')!;
const strings = JSON.parse(panel.dataset.strings ?? '{}') as Record<string, string>;
const welcome = document.querySelector<HTMLElement>('[data-learner-welcome]')!;
const form = welcome.querySelector<HTMLFormElement>('[data-learner-form]')!;
const error = form.querySelector<HTMLElement>('[data-learner-error]')!;
const status = panel.querySelector<HTMLElement>('[data-learner-status]')!;
const change = panel.querySelector<HTMLButtonElement>('[data-learner-change]')!;
const outbox = panel.querySelector<HTMLElement>('[data-outbox-status]')!;

const show = (learner: Learner | null) => {
  status.textContent = !learner ? '' : learner.kind === 'named' ? (strings['signedInAs'] ?? '').replace('{{name}}', learner.name) : (strings['anonymous'] ?? '');
  change.hidden = !learner;
  document.documentElement.toggleAttribute('data-learner', !!learner);
};

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
  const data = new FormData(form);
  try {
    chooseLearner(submitter?.value === 'anonymous' ? null : { name: String(data.get('name') ?? ''), email: String(data.get('email') ?? '') });
    error.textContent = '';
  } catch (e) {
    const code = (e as { code?: string }).code;
    error.textContent = (code === 'email' ? strings['invalidEmail'] : strings['invalidName']) ?? '';
  }
});
change.addEventListener('click', () => {
  document.documentElement.removeAttribute('data-learner');
  welcome.scrollIntoView();
  form.querySelector<HTMLInputElement>('input')?.focus();
});
window.addEventListener(LEARNER_EVENT, (e) => show((e as CustomEvent<Learner>).detail));
window.addEventListener(OUTBOX_EVENT, (e) => {
  const pending = (e as CustomEvent<{ pending: number }>).detail.pending;
  outbox.textContent = pending === 0 ? '' : pending === 1 ? (strings['pendingOne'] ?? '').replace('{{count}}', '1') : (strings['pendingOther'] ?? '').replace('{{count}}', String(pending));
  outbox.dataset.pending = String(pending);
});

captureWorkshopRegistration();
const learner = currentLearner();
show(learner);
void flush();
panel.dataset.ready = 'true';
