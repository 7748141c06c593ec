import { describe, expect, it } from 'vitest';
import { splitIntoSlides } from '../../src/lib/slides.ts';

describe('splitIntoSlides', () => {
  const html = [
    '<p>Before any heading.</p>',
    '<h2>Two kinds of value</h2><p>Cultural and economic.</p>',
    '<aside class="facilitator-note"><p>Ask for an example.</p></aside>',
    '<section class="exercise" aria-label="Exercise: A plan"><p class="eyebrow">Exercise</p><h2>A plan</h2><ol><li>Draw it.</li></ol>',
    '<aside class="facilitator-note"><p>Groups of four.</p></aside></section>',
    '<section class="case-study" aria-label="Case study: Barbados"><h2>Barbados</h2><div><p>Facts.</p><aside class="facilitator-note"><p>Point at the map.</p></aside></div></section>',
  ].join('');
  const slides = splitIntoSlides(html, 'Business models');

  it('starts a slide at each heading, exercise and case study', () => {
    expect(slides.map((s) => s.title)).toEqual(['Business models', 'Two kinds of value', 'A plan', 'Barbados']);
  });

  it('gives every facilitator note, nested ones included, to its slide as speaker notes', () => {
    expect(slides.map((s) => s.notes)).toEqual(['', '<p>Ask for an example.</p>', '<p>Groups of four.</p>', '<p>Point at the map.</p>']);
    expect(slides.some((s) => s.html.includes('facilitator-note'))).toBe(false);
  });

  it('leaves no section inside a slide (reveal.js would make it a vertical stack)', () => {
    expect(slides.some((s) => s.html.includes('<section'))).toBe(false);
    expect(slides[2]!.html).toMatch(
      /^<div class="exercise"><p class="eyebrow">Exercise<\/p><h2>A plan<\/h2><ol><li>Draw it.<\/li><\/ol><\/div>$/,
    );
  });
});
