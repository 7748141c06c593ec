import { parseLearner, workshopFromQuery, type Learner, type WorkshopLink } from './learner.ts';
import { parseProgress, type Progress } from './progress.ts';

// What this device keeps of the learner (src/lib/xapi/tracking.ts writes it): read here without
// the statement code, so that a page that only shows progress (the module overview) loads little.

/** localStorage key of the learner on this device. */
export const LEARNER_KEY = 'dce.learner';
/** localStorage key of the workshop link the learner joined through. */
export const WORKSHOP_KEY = 'dce.registration';
/** localStorage key of the progress in a registration. */
export const progressKey = (registration: string): string => `dce.progress.${registration}`;

/** The learner chosen on this device, or null before the first-visit choice. */
export function currentLearner(): Learner | null {
  return parseLearner(localStorage.getItem(LEARNER_KEY));
}

/** The workshop this device joined, or null. */
export function currentWorkshop(): WorkshopLink | null {
  const raw = localStorage.getItem(WORKSHOP_KEY);
  if (!raw) return null;
  try {
    return workshopFromQuery(`?${new URLSearchParams(JSON.parse(raw) as Record<string, string>)}`);
  } catch {
    // An older version stored the registration alone.
    return workshopFromQuery(`?registration=${raw}`);
  }
}

/** context.registration: the workshop's from its link, else the learner's own. */
export function currentRegistration(learner: Learner): string {
  return currentWorkshop()?.registration ?? learner.registration;
}

/** The learner's progress in the current registration (empty before a learner is chosen). */
export function currentProgress(): Progress {
  const learner = currentLearner();
  return parseProgress(learner ? localStorage.getItem(progressKey(currentRegistration(learner))) : null);
}
