/**
 * Verbs and activity types the site uses, all from the ADL vocabulary
 * (http://adlnet.gov/expapi/verbs/, http://adlnet.gov/expapi/activities/), as xAPI 1.0.3
 * Data 2.4.3 asks: reuse existing verbs rather than coin new ones.
 */
export const verbs = {
  experienced: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
  answered: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-US': 'failed' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended' } },
} as const;

/** Activity types (xAPI 1.0.3 Data 2.4.4.1, definition.type), from the ADL vocabulary. */
export const activityTypes = {
  course: 'http://adlnet.gov/expapi/activities/course',
  module: 'http://adlnet.gov/expapi/activities/module',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  meeting: 'http://adlnet.gov/expapi/activities/meeting',
} as const;
