import QRCode from 'qrcode';
import { v4 as uuidv4 } from 'uuid';
import type { Language } from '../../i18n/languages.ts';
import { fill as fillText, plural, type FillValues, type PluralForms } from '../../i18n/format.ts';
import type { LocalizedText } from '../../schemas/localized.ts';
import { workshopLink } from '../xapi/learner.ts';
import {
  TRAINER_CREDENTIAL_KEY,
  lrsReason,
  parseParticipants,
  saveWorkshop,
  savedWorkshops,
  workshopProblem,
  type SavedWorkshop,
} from './workshops.ts';

// The trainer page's program (src/pages/[lang]/trainer.astro): creates workshop cohorts with
// their participants' link and QR code (kept on this device), records attendance with the
// trainer's own credential (kept in sessionStorage only). The xAPI client (attendance.ts) loads
// only when attendance is recorded or a credential is given. Every string the trainer typed goes
// in as text, never as markup.

/** The page's strings, e.g. { invalidCohort: "…", day: "Day {{day}}" }, from a data-strings attribute. */
type Strings = Record<string, string>;

/** One session of a module's agenda, as the page lists it for attendance: day, number in the day, title. */
interface AgendaSession {
  day: number;
  n: number;
  title: string;
}

/** Fill the {{name}} placeholders of a page string (the one formatting helper, numbers as the page's language writes them). */
const fill = (template: string | undefined, values: FillValues) =>
  fillText(template ?? '', values, document.documentElement.lang as Language);

const strings = (element: HTMLElement): Strings => JSON.parse(element.dataset['strings'] ?? '{}') as Strings;

/**
 * Start the trainer page. Expects the forms `[data-workshop-form]`, `[data-attendance-form]`
 * (data-agendas: "{lang}/{module}" to AgendaSession[]; data-modules: module slug to its IRI and
 * names) and `[data-trainer-credential-form]`, each with data-strings, and the result, list and
 * copy elements of trainer.astro.
 */
export function startTrainer(): void {
  const workshops = document.querySelector<HTMLFormElement>('[data-workshop-form]');
  const attendance = document.querySelector<HTMLFormElement>('[data-attendance-form]');
  const credential = document.querySelector<HTMLFormElement>('[data-trainer-credential-form]');
  if (!workshops || !attendance || !credential) return;
  const refusal = refusalReporter(attendance);
  const refreshAttendance = startAttendance(attendance, refusal);
  startWorkshops(workshops, refreshAttendance);
  startTrainerCredential(credential, refusal);
}

/**
 * The workshop form: checks the fields, makes the registration and the link, keeps the workshop
 * on this device and shows its link and QR code; lists the saved workshops.
 * @param onSaved called after a workshop is saved (the attendance form lists it)
 */
function startWorkshops(form: HTMLFormElement, onSaved: () => void): void {
  const s = strings(form);
  const error = form.querySelector<HTMLElement>('[data-workshop-error]')!;
  const result = document.querySelector<HTMLElement>('[data-workshop-result]')!;
  const list = document.querySelector<HTMLUListElement>('[data-workshop-list]')!;
  const link = result.querySelector<HTMLAnchorElement>('[data-workshop-link]')!;

  const renderList = () =>
    list.replaceChildren(
      ...savedWorkshops().map((w) => {
        const li = document.createElement('li');
        const a = Object.assign(document.createElement('a'), {
          href: w.link,
          textContent: `${w.cohort} (${w.country}) · ${w.moduleTitle} · ${w.lang}`,
        });
        li.append(a, ` · ${[w.place, w.start, w.end].filter(Boolean).join(' · ')} · ${s['registration']}: ${w.registration}`);
        return li;
      }),
    );

  const show = async (w: SavedWorkshop) => {
    result.hidden = false;
    result.querySelector('[data-workshop-title]')!.textContent = `${w.cohort} · ${w.moduleTitle}`;
    link.href = w.link;
    link.textContent = w.link;
    // The SVG is built by the qrcode library from the link alone; no user markup goes in.
    result.querySelector<HTMLElement>('[data-workshop-qr]')!.innerHTML = await QRCode.toString(w.link, {
      type: 'svg',
      margin: 2,
      errorCorrectionLevel: 'M',
    });
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const get = (k: string) => String(data.get(k) ?? '').trim();
    const fields = { cohort: get('cohort'), country: get('country').toUpperCase(), start: get('start'), end: get('end') };
    const problem = workshopProblem(fields);
    error.textContent = problem ? (s[problem] ?? '') : '';
    if (problem) return;
    const registration = uuidv4();
    const select = form.querySelector<HTMLSelectElement>('select[name=module]')!;
    const w: SavedWorkshop = {
      registration,
      module: get('module'),
      moduleTitle: select.selectedOptions[0]?.textContent ?? '',
      lang: get('lang'),
      ...fields,
      place: get('place'),
      link: workshopLink(location.origin, get('lang'), get('module'), { registration, cohort: fields.cohort, country: fields.country }),
    };
    saveWorkshop(w);
    renderList();
    void show(w);
    onSaved();
  });
  document.querySelector('[data-workshop-copy]')!.addEventListener('click', async () => {
    await navigator.clipboard?.writeText(link.href);
    document.querySelector('[data-workshop-copied]')!.textContent = s['copied'] ?? '';
  });
  renderList();
}

/**
 * The attendance form: pick a saved workshop and a session of its module's agenda, type the
 * participants, and record one "attended" statement each (src/lib/xapi/attendance.ts).
 * @param report shows why the LRS did not take the statements, if it did not
 * @returns a function that lists the saved workshops again (after a new one is created)
 */
function startAttendance(form: HTMLFormElement, report: (stoppedBy: Error | undefined) => void): () => void {
  const s = strings(form);
  const agendas = JSON.parse(form.dataset['agendas'] ?? '{}') as Record<string, AgendaSession[]>;
  const modules = JSON.parse(form.dataset['modules'] ?? '{}') as Record<string, { id: string; name: LocalizedText }>;
  const workshopSelect = form.querySelector<HTMLSelectElement>('[name=workshop]')!;
  const sessionSelect = form.querySelector<HTMLSelectElement>('[name=session]')!;
  const error = form.querySelector<HTMLElement>('[data-attendance-error]')!;
  const status = form.querySelector<HTMLElement>('[data-attendance-status]')!;
  const chosen = () => savedWorkshops().find((x) => x.registration === workshopSelect.value);

  const fillSessions = () => {
    const w = chosen();
    const sessions = w ? (agendas[`${w.lang}/${w.module}`] ?? []) : [];
    sessionSelect.replaceChildren(
      ...sessions.map((x) =>
        Object.assign(document.createElement('option'), {
          value: `${x.day}-${x.n}`,
          textContent: `${fill(s['day'], { day: x.day })} · ${x.title}`,
        }),
      ),
    );
  };
  const fillWorkshops = () => {
    workshopSelect.replaceChildren(
      ...savedWorkshops().map((w) =>
        Object.assign(document.createElement('option'), {
          value: w.registration,
          textContent: `${w.cohort} (${w.country}) · ${w.moduleTitle}`,
        }),
      ),
    );
    fillSessions();
  };
  workshopSelect.addEventListener('change', fillSessions);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const w = chosen();
    if (!w) return void (error.textContent = s['none'] ?? '');
    const parsed = parseParticipants(String(new FormData(form).get('participants') ?? ''));
    if ('invalidLine' in parsed) return void (error.textContent = fill(s['invalid'], { line: parsed.invalidLine }));
    error.textContent = '';
    const [day, n] = sessionSelect.value.split('-').map(Number) as [number, number];
    const { recordAttendance } = await import('../xapi/attendance.ts');
    const { workshopSessionId } = await import('../xapi/activities.ts');
    const title = sessionSelect.selectedOptions[0]?.textContent ?? '';
    const session = { id: workshopSessionId(w.registration, day, n), title };
    const { stored, flush } = await recordAttendance(w.lang as Language, w, session, modules[w.module]!, parsed.participants);
    status.textContent = plural(document.documentElement.lang as Language, JSON.parse(s['saved'] ?? '{"other":""}') as PluralForms, stored);
    report(flush.stoppedBy);
  });
  fillWorkshops();
  return fillWorkshops;
}

/**
 * Tell the trainer why attendance could not be sent: no credential, a wrong one (401), or one
 * that may not record it (403, with the LRS's reason); clear the message when it was sent.
 * @param form the attendance form, with data-strings and `[data-attendance-error]`
 */
function refusalReporter(form: HTMLFormElement): (stoppedBy: Error | undefined) => void {
  const s = strings(form);
  const error = form.querySelector<HTMLElement>('[data-attendance-error]')!;
  return (stoppedBy) => {
    const status = (stoppedBy as { status?: number } | undefined)?.status;
    if (stoppedBy?.name === 'CredentialError') error.textContent = s['noCredential'] ?? '';
    else if (status === 401) error.textContent = s['unauthorized'] ?? '';
    else if (status === 403) error.textContent = fill(s['forbidden'], { reason: lrsReason(stoppedBy!.message) });
    else error.textContent = '';
  };
}

/**
 * The trainer's credential form: kept in sessionStorage only, so it is gone when the browser
 * session ends; attendance recorded before it was given is sent as soon as it is.
 * @param report shows why the LRS did not take the waiting statements, if it did not
 */
function startTrainerCredential(form: HTMLFormElement, report: (stoppedBy: Error | undefined) => void): void {
  // The attendance form's strings hold this form's messages too.
  const s = strings(document.querySelector<HTMLElement>('[data-attendance-form]')!);
  const error = form.querySelector<HTMLElement>('[data-trainer-credential-error]')!;
  const show = () => {
    const has = sessionStorage.getItem(TRAINER_CREDENTIAL_KEY) !== null;
    form.querySelector<HTMLElement>('[data-trainer-credential-fields]')!.hidden = has;
    form.querySelector<HTMLElement>('[data-trainer-credential-saved]')!.hidden = !has;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const key = String(data.get('key') ?? '').trim();
    const secret = String(data.get('secret') ?? '');
    if (!key || !secret) return void (error.textContent = s['missing'] ?? '');
    error.textContent = '';
    sessionStorage.setItem(TRAINER_CREDENTIAL_KEY, JSON.stringify({ key, secret }));
    form.reset();
    show();
    const { getTrainerOutbox } = await import('../xapi/attendance.ts');
    report((await getTrainerOutbox().flush()).stoppedBy);
  });
  form.querySelector('[data-trainer-credential-forget]')!.addEventListener('click', () => {
    sessionStorage.removeItem(TRAINER_CREDENTIAL_KEY);
    show();
  });
  show();
}
