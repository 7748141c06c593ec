/**
 * What a learner has done in one registration, kept on the device so that the module page can
 * show progress without reading the LRS (the site's credential may only write statements).
 */
export interface Progress {
  /** Lesson activity IRIs whose knowledge check was passed. */
  lessonsCompleted: string[];
  /** Final assessment quiz ids that were passed. */
  assessmentsPassed: string[];
  /** Module activity IRIs for which "completed" was already recorded. */
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
 * Whether a module is now complete and not yet recorded as such: every lesson completed and
 * the final assessment passed.
 * @param lessonIds the IRIs of all the module's lessons
 * @param assessment the module's final assessment quiz id
 * @param moduleIri the module's IRI
 */
export function moduleNewlyComplete(p: Progress, lessonIds: string[], assessment: string, moduleIri: string): boolean {
  return (
    lessonIds.length > 0 &&
    lessonIds.every((id) => p.lessonsCompleted.includes(id)) &&
    p.assessmentsPassed.includes(assessment) &&
    !p.modulesCompleted.includes(moduleIri)
  );
}
