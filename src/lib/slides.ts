import { parse, type HTMLElement } from 'node-html-parser';

/** One slide: its title, its HTML, and the facilitator's notes for it (HTML). */
export interface Slide {
  title: string;
  html: string;
  notes: string;
}

/**
 * Cut a lesson's rendered body into slides (build time): a slide starts at every `##` heading
 * (h2), and an exercise or a case study is a slide of its own. Facilitator notes, wherever they
 * stand (inside an exercise or a case study too), leave the slide and become its speaker notes.
 * An exercise's or a case study's own `<section>` becomes a `<div>` with the same class: a section
 * inside a slide's section would make reveal.js show a vertical stack, and its notes plugin sends
 * only the notes of the inner slide shown, so notes on the outer one never reach the speaker view.
 * Content before the first heading opens the first slide.
 * @param html the lesson body as rendered by Astro (MDX with its components)
 * @param introTitle the title given to content that comes before the first heading
 * @returns the slides in order; empty slides are dropped; no slide's HTML holds a `<section>`
 */
export function splitIntoSlides(html: string, introTitle: string): Slide[] {
  const root = parse(html);
  const slides: Slide[] = [];
  let current: { title: string; parts: string[]; notes: string[] } = { title: introTitle, parts: [], notes: [] };
  const close = () => {
    if (current.parts.length || current.notes.length)
      slides.push({ title: current.title, html: current.parts.join('\n'), notes: current.notes.join('\n') });
  };
  for (const node of root.childNodes) {
    const el = node as HTMLElement;
    const tag = el.tagName?.toLowerCase();
    const classes = el.classList?.value ?? [];
    if (tag === 'aside' && classes.includes('facilitator-note')) {
      current.notes.push(el.innerHTML);
      continue;
    }
    const block = tag === 'section' && (classes.includes('exercise') || classes.includes('case-study'));
    if (tag === 'h2' || block) {
      close();
      const heading = tag === 'h2' ? el : el.querySelector('h2');
      current = { title: heading?.text.trim() ?? introTitle, parts: [], notes: [] };
    }
    if (el.querySelectorAll) {
      for (const note of el.querySelectorAll('aside.facilitator-note')) {
        current.notes.push(note.innerHTML);
        note.remove();
      }
    }
    if (block) {
      el.tagName = 'div';
      el.removeAttribute('aria-label');
    }
    const text = node.toString();
    if (text.trim()) current.parts.push(text);
  }
  close();
  return slides;
}
