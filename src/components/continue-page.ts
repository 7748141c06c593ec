// Client code of src/pages/[lang]/continue.astro: trade the code for the learner's credential
// and restore their progress from the LRS (src/lib/xapi/continue.ts).
import { fill } from '../i18n/format.ts';
import { CredentialError } from '../lib/xapi/credential.ts';
import { continueWithCode, restoreFromLrs } from '../lib/xapi/continue.ts';

const form = document.querySelector<HTMLFormElement>('[data-continue-form]')!;
const s = JSON.parse(form.dataset['strings'] ?? '{}') as Record<string, string>;
const assessments = JSON.parse(form.dataset['assessments'] ?? '[]') as string[];
const input = form.querySelector<HTMLInputElement>('input[name=code]')!;
const error = form.querySelector<HTMLElement>('[data-continue-error]')!;
const status = form.querySelector<HTMLElement>('[data-continue-status]')!;
const retry = form.querySelector<HTMLElement>('[data-continue-retry]')!;
const done = form.querySelector<HTMLElement>('[data-continue-done]')!;
const endpoint = new URL(document.body.dataset['lrsEndpoint'] ?? '/xapi/', location.href).href;

const finish = (name: string, readError?: Error) => {
  status.textContent = readError ? '' : fill(s['done'] ?? '', { name });
  error.textContent = readError ? fill(s['readFailed'] ?? '', { reason: readError.message }) : '';
  retry.hidden = !readError;
  done.hidden = false;
};

async function submit(code: string) {
  error.textContent = '';
  status.textContent = s['working'] ?? '';
  try {
    const { learner, readError } = await continueWithCode(code, endpoint, assessments);
    finish(learner.name, readError);
  } catch (e) {
    status.textContent = '';
    const code = (e as { code?: string }).code;
    const httpStatus = e instanceof CredentialError ? e.status : undefined;
    if (code === 'pending') error.textContent = s['pending'] ?? '';
    else if (e instanceof CredentialError && httpStatus === undefined) error.textContent = s['offline'] ?? '';
    else if (httpStatus === 400 || httpStatus === 404 || httpStatus === 410) error.textContent = s['invalid'] ?? '';
    else error.textContent = fill(s['failed'] ?? '', { reason: (e as Error).message });
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit(input.value);
});
retry.querySelector('button')!.addEventListener('click', async () => {
  status.textContent = s['restoring'] ?? '';
  try {
    finish((await restoreFromLrs(endpoint, assessments)).name);
  } catch (e) {
    finish('', e as Error);
  }
});

// The QR code's link carries the code in the fragment: use it at once, then drop it from the
// address bar so that it does not stay in the history.
const fromLink = new URLSearchParams(location.hash.slice(1)).get('code');
if (fromLink) {
  input.value = fromLink;
  history.replaceState(null, '', location.pathname + location.search);
  void submit(fromLink);
}
form.dataset['ready'] = 'true';
