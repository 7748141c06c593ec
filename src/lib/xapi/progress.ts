/**
 * What a learner has done in one registration, kept on the device so that the module page can
 * show progress at once, without reading the LRS. Final assessments count only as the server
 * graded them (issue 11: "A module is complete only with a server-graded pass").
 */
export interface Progress {
  /** Lesson activity IRIs whose knowledge check was passed. */
  lessonsCompleted: string[];
  /** Final assessment quiz ids the server graded as passed (never the browser's own grading). */
  assessmentsPassed: string[];
  /** Module activity IRIs completed: the server graded their final assessment as passed and recorded "completed". */
  modulesCompleted: string[];
}

/** An empty progress record. */
export const emptyProgress = (): Progress => ({ lessonsCompleted: [], assessmentsPassed: [], modulesCompleted: [] });

/**
 * Read progress saved as JSON; an empty record when absent or malformed.
 */
export function parseProgress(json: string | null): Progress {
  try {
    const v = JSON.parse(json ?? '') as Partial<Progress>;
    const list = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
    return {
      lessonsCompleted: list(v.lessonsCompleted),
      assessmentsPassed: list(v.assessmentsPassed),
      modulesCompleted: list(v.modulesCompleted),
    };
  } catch {
    return emptyProgress();
  }
}

/**
 * Progress with the server's grade of a final assessment attempt recorded: a pass marks the
 * assessment passed and the module complete (the server wrote the signed "passed" and
 * "completed" statements, src/lrs/routes/assessments.ts); a fail changes nothing (an earlier
 * pass stands).
 * @param quizKey the final assessment's quiz id
 * @param moduleIri the module's IRI
 * @param passed the server's verdict
 * @returns a new record; `p` is not changed
 */
export function withServerGrade(p: Progress, quizKey: string, moduleIri: string, passed: boolean): Progress {
  if (!passed) return p;
  const add = (list: string[], value: string) => (list.includes(value) ? [...list] : [...list, value]);
  return { ...p, assessmentsPassed: add(p.assessmentsPassed, quizKey), modulesCompleted: add(p.modulesCompleted, moduleIri) };
}

/**
 * Join two progress records of one registration (what this device had and what the LRS gave
 * back on another device, src/lib/xapi/restore.ts), each item once.
 */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const union = (x: string[], y: string[]) => [...new Set([...x, ...y])];
  return {
    lessonsCompleted: union(a.lessonsCompleted, b.lessonsCompleted),
    assessmentsPassed: union(a.assessmentsPassed, b.assessmentsPassed),
    modulesCompleted: union(a.modulesCompleted, b.modulesCompleted),
  };
}
