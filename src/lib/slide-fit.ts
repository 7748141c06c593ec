/**
 * Continuation slides for a reveal.js deck (browser, before `Reveal.initialize`): a slide whose
 * content is taller or wider than the slide (1280×720 in src/components/SlideDeck.astro) is cut
 * after its last block that fits, and the rest goes to a continuation slide titled "… (continued)"
 * in the deck's language; a list or a table too long for one slide is cut between its items or
 * rows (the table keeps its header row, a numbered list its numbering). The type stays at its
 * projector size: nothing is shrunk. Measured with the fonts the presenter's machine really has,
 * so a deck fits on that machine whatever its fonts.
 */

/** Options of fitSlides. width and height are the slide's size in CSS px (reveal.js config). */
export interface FitOptions {
  width: number;
  height: number;
  /** The title of a continuation slide, from the title of the slide it continues. */
  continued: (title: string) => string;
}

/** The element whose children flow from slide to slide: an exercise's or a case study's box, else the slide. */
function flowOf(slide: HTMLElement): HTMLElement {
  const only = Array.from(slide.children).filter((c) => !c.matches('aside.notes'));
  const box = only.length === 1 && only[0]!.matches('.exercise, .case-study') ? (only[0] as HTMLElement) : null;
  return box ?? slide;
}

/** A block that stays at the top of its slide: eyebrow, title, notes. */
const fixed = (el: Element) => el.matches('h1, h2, .eyebrow, aside.notes');

/** The items a list or a table can be cut between. */
function itemsOf(block: Element): HTMLElement[] {
  if (block.matches('ul, ol')) return Array.from(block.children) as HTMLElement[];
  const table = block.matches('table') ? block : block.querySelector('table');
  const body = table?.querySelector('tbody');
  return body ? (Array.from(body.children) as HTMLElement[]) : [];
}

/**
 * Cut overflowing slides into continuation slides, in place.
 * @param slidesRoot the deck's `.slides` element, its slides as direct `<section>` children
 * @param options slide size and the continuation title
 * @returns how many continuation slides were added
 */
export async function fitSlides(slidesRoot: HTMLElement, options: FitOptions): Promise<number> {
  const { width, height, continued } = options;
  const previousWidth = slidesRoot.style.width;
  slidesRoot.style.width = `${width}px`;
  const show = (s: HTMLElement) => {
    s.style.display = 'block';
  };
  const fits = (s: HTMLElement) => s.scrollHeight <= height && s.scrollWidth <= width;
  const first = slidesRoot.querySelector<HTMLElement>(':scope > section');
  if (first) {
    show(first);
    void first.offsetHeight;
    // The theme's web font must be in place before anything is measured.
    await document.fonts.ready;
  }
  let added = 0;
  for (let slide = first; slide; slide = slide.nextElementSibling as HTMLElement | null) {
    show(slide);
    const flow = flowOf(slide);
    const title = slide.dataset['title'] ?? slide.querySelector('h1, h2')?.textContent?.trim() ?? '';
    const movable = () => Array.from(flow.children).filter((c) => !fixed(c));
    if (fits(slide) || movable().length === 0) continue;

    const next = slide.cloneNode(false) as HTMLElement;
    next.dataset['title'] = continued(title);
    next.removeAttribute('id');
    const nextFlow = flow === slide ? next : (next.appendChild(flow.cloneNode(false)) as HTMLElement);
    const heading = document.createElement('h2');
    heading.className = 'continued';
    heading.textContent = continued(title);
    nextFlow.append(heading);
    slide.after(next);
    show(next);
    // Move whole blocks, from the last, while the slide overflows and keeps at least one.
    while (!fits(slide) && movable().length > 1) heading.after(movable().at(-1)!);
    const last = movable()[0];
    if (!fits(slide) && last) {
      // One block still too tall: cut it between its items (list items, table rows).
      const items = itemsOf(last);
      if (items.length > 1) {
        const rest = last.cloneNode(true) as HTMLElement;
        let kept = items.length;
        while (!fits(slide) && kept > 1) items[--kept]!.remove();
        itemsOf(rest)
          .slice(0, kept)
          .forEach((item) => item.remove());
        if (rest.matches('ol')) (rest as HTMLOListElement).start = ((last as HTMLOListElement).start || 1) + kept;
        heading.after(rest);
      }
    }
    if (nextFlow.children.length === 1) next.remove();
    else added++;
  }
  for (const slide of Array.from(slidesRoot.querySelectorAll<HTMLElement>(':scope > section'))) slide.style.display = '';
  slidesRoot.style.width = previousWidth;
  return added;
}
