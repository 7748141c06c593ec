import Exercise from './Exercise.astro';
import FacilitatorNote from './FacilitatorNote.astro';
import CaseStudy from './CaseStudy.astro';
import Term from './Term.astro';

/**
 * The components lesson authors use in MDX without importing them:
 * Exercise, FacilitatorNote, CaseStudy and Term (see docs/authoring.md).
 * Objectives, KeyPoints and the Quiz come from the lesson's frontmatter.
 */
export const mdxComponents = { Exercise, FacilitatorNote, CaseStudy, Term };
