import { v4 as uuidv4 } from 'uuid';
import type { Language } from '../../i18n/languages.ts';
import type { LocalizedText } from '../../schemas/localized.ts';
import { CredentialError } from './credential.ts';
import { basicAuthorization, type WorkshopLink } from './learner.ts';
import { Outbox, type FlushResult } from './outbox.ts';
import { sessionAttended } from './statements.ts';
import { postStatements } from './tracking.ts';
import { TRAINER_CREDENTIAL_KEY } from '../trainer/workshops.ts';

// Trainer-side: attendance, recorded with the trainer's own credential (the trainer page only;
// learners' pages never load this module).

/** A participant the trainer marks present. */
export interface Participant {
  name: string;
  email: string;
}

/** The trainer's credential kept for this browser session, or null. */
export function trainerCredential(): { key: string; secret: string } | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(TRAINER_CREDENTIAL_KEY) ?? 'null') as { key?: unknown; secret?: unknown } | null;
    return typeof v?.key === 'string' && typeof v.secret === 'string' && v.key && v.secret ? { key: v.key, secret: v.secret } : null;
  } catch {
    return null;
  }
}

let trainerBox: Outbox | undefined;

/**
 * The trainer's outbox (prefix "dce.trainer.outbox", apart from the learner's): attendance
 * statements are sent as they are, with the trainer's credential from this browser session
 * (made with `npm run lrs -- credentials create`, docs/deploy.md). Without one, or when the LRS
 * refuses it (401, or 403 for a learner's credential), they wait; nothing is dropped.
 */
export function getTrainerOutbox(): Outbox {
  trainerBox ??= new Outbox({
    storage: localStorage,
    prefix: 'dce.trainer.outbox',
    transport: async (statements) => {
      const credential = trainerCredential();
      if (!credential) throw new CredentialError('no trainer credential in this browser session');
      await postStatements(statements, basicAuthorization(credential));
    },
  });
  return trainerBox;
}

/**
 * Record that participants attended one session of a workshop: one "attended" statement per
 * participant, with the workshop's registration, cohort and country, stored in the trainer's
 * outbox and sent at once with the trainer's credential (see getTrainerOutbox).
 * @param workshop the workshop as the trainer created it
 * @param session the session's IRI and title
 * @param module the module's IRI and names
 * @returns how many statements were stored, and what the first sending did (`stoppedBy` holds
 *   the LRS's refusal, e.g. 403 for a learner's credential, or a CredentialError without one)
 */
export async function recordAttendance(
  language: Language,
  workshop: WorkshopLink,
  session: { id: string; title: string },
  module: { id: string; name: LocalizedText },
  participants: Participant[],
): Promise<{ stored: number; flush: FlushResult }> {
  const statements = participants.map((p) =>
    sessionAttended(
      {
        id: uuidv4(),
        timestamp: new Date().toISOString(),
        actor: { objectType: 'Agent', name: p.name, mbox: `mailto:${p.email.toLowerCase()}` },
        registration: workshop.registration,
        language,
        workshop: { cohort: workshop.cohort, country: workshop.country },
      },
      session,
      module,
    ),
  );
  const box = getTrainerOutbox();
  statements.forEach((s) => box.enqueue(s));
  return { stored: statements.length, flush: await box.flush() };
}
