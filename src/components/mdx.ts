import Exercise from './Exercise.astro';
import FacilitatorNote from './FacilitatorNote.astro';
import CaseStudy from './CaseStudy.astro';
import Term from './Term.astro';
import Table from './Table.astro';
import Card from './Card.astro';
import Blank from './Blank.astro';

/**
 * The components lesson authors use in MDX without importing them:
 * Exercise, FacilitatorNote, CaseStudy and Term (see docs/authoring.md).
 * Objectives, KeyPoints and the Quiz come from the lesson's frontmatter. Markdown tables render
 * through Table (a named scrolling container, for reflow on a phone).
 */
export const mdxComponents = { Exercise, FacilitatorNote, CaseStudy, Term, table: Table };

/**
 * The components a printable material's MDX uses without importing them
 * (content/{lang}/materials/{module}/{material}.mdx; docs/authoring.md, "Writing a printable
 * material"): those of lessons, plus Card (one card to cut out) and Blank (ruled lines to write on).
 */
export const materialComponents = { ...mdxComponents, Card, Blank };
