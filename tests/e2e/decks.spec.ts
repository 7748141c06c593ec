import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { e2eSiteRoot } from '../../playwright.config.ts';
import { languages } from '../../src/i18n/languages.ts';

/**
 * Every lesson deck (reveal.js, src/components/SlideDeck.astro), in every language, at the two
 * projector sizes: no slide's content past the slide's edge, and every facilitator note of the
 * lesson in the speaker notes of a slide the speaker view can show. One page load per deck and
 * size: the slides are laid out one by one inside the page through reveal.js's own hash
 * navigation (transition 'none'). Then one speaker view per language is scanned with axe.
 */

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every deck's path ("/fr/modules/m/lesson/present/"), from the built folder. */
function builtDecks(root: string): string[] {
  const decks: string[] = [];
  for (const lang of languages) {
    const modules = join(root, lang, 'modules');
    for (const m of readdirSync(modules)) {
      for (const lesson of readdirSync(join(modules, m), { withFileTypes: true })) {
        if (lesson.isDirectory() && readdirSync(join(modules, m, lesson.name)).includes('present'))
          decks.push(`/${lang}/modules/${m}/${lesson.name}/present/`);
      }
    }
  }
  return decks.sort();
}

/** The facilitator notes of a deck's lesson, as text, from the lesson's built page. */
function lessonNotes(deck: string): string[] {
  const html = readFileSync(join(e2eSiteRoot, deck.replace(/present\/$/, ''), 'index.html'), 'utf8');
  return parse(html)
    .querySelectorAll('aside.facilitator-note')
    .map((n) => normalise(n.text));
}

/** What one laid-out deck shows: the slides whose content passes an edge, and each slide's notes. */
interface DeckLayout {
  overflowing: string[];
  notes: string[];
  slides: number;
}

/** Show every slide of the open deck in turn (reveal.js hash navigation) and measure it in the DOM. */
async function layOut(page: Page): Promise<DeckLayout> {
  return page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const slidesBox = document.querySelector<HTMLElement>('.reveal .slides')!;
    // The leaf slides, as reveal.js sees them: a section holding sections is a vertical stack.
    const leaves: { h: number; v: number | null; el: HTMLElement }[] = [];
    Array.from(slidesBox.children).forEach((top, h) => {
      const children = Array.from(top.children).filter((c) => c.tagName === 'SECTION') as HTMLElement[];
      if (children.length) children.forEach((el, v) => leaves.push({ h, v, el }));
      else leaves.push({ h, v: null, el: top as HTMLElement });
    });
    const overflowing: string[] = [];
    const notes: string[] = [];
    for (const { h, v, el } of leaves) {
      location.hash = v === null ? `#/${h}` : `#/${h}/${v}`;
      for (let i = 0; i < 20 && !el.classList.contains('present'); i++) await frame();
      await frame();
      // The notes the speaker view receives for this slide (reveal.js notes plugin: the current
      // slide's aside.notes).
      notes.push(...Array.from(el.querySelectorAll('aside.notes')).map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim()));
      const edge = slidesBox.getBoundingClientRect();
      const past = Array.from(el.querySelectorAll<HTMLElement>('*')).filter((node) => {
        if (node.closest('aside.notes')) return false;
        const box = node.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return false;
        return box.bottom > edge.bottom + 1 || box.right > edge.right + 1 || box.left < edge.left - 1 || box.top < edge.top - 1;
      });
      if (past.length) {
        const title = el.dataset['title'] ?? el.querySelector('h1, h2')?.textContent ?? '';
        const worst = Math.max(...past.map((n) => n.getBoundingClientRect().bottom)) - edge.bottom;
        overflowing.push(
          `slide ${h + 1}${v === null ? '' : `.${v + 1}`} "${title.trim().slice(0, 50)}": ${Math.round(worst)} px below the edge`,
        );
      }
    }
    return { overflowing, notes, slides: leaves.length };
  });
}

const decks = builtDecks(e2eSiteRoot);

for (const size of [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
]) {
  test(`every slide of every deck fits ${size.width}×${size.height}, and every facilitator note reaches the speaker view`, async ({
    browser,
  }) => {
    expect(decks.length).toBeGreaterThan(60);
    test.setTimeout(decks.length * 8_000);
    const context = await browser.newContext({ viewport: size, serviceWorkers: 'block' });
    const page = await context.newPage();
    const problems: string[] = [];
    let overflowing = 0;
    let lost = 0;
    let total = 0;
    let slides = 0;
    for (const deck of decks) {
      await page.goto(deck, { waitUntil: 'domcontentloaded' });
      await expect(page.locator('.reveal')).toHaveAttribute('data-current-slide', /\d+/);
      const layout = await layOut(page);
      slides += layout.slides;
      overflowing += layout.overflowing.length;
      problems.push(...layout.overflowing.map((o) => `${deck} ${o}`));
      const spoken = layout.notes.join(' ');
      for (const note of lessonNotes(deck)) {
        total++;
        if (!spoken.includes(note)) {
          lost++;
          problems.push(`${deck} note lost: "${note.slice(0, 60)}"`);
        }
      }
    }
    console.log(`${size.width}×${size.height}: ${overflowing} of ${slides} slides overflow; ${lost} of ${total} facilitator notes lost`);
    await context.close();
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

const speakerLabels = {
  en: { notes: 'Notes', upcoming: 'Upcoming' },
  fr: { notes: 'Notes', upcoming: 'Diapositive suivante' },
  es: { notes: 'Notas', upcoming: 'Diapositiva siguiente' },
} as const;

for (const lang of languages) {
  test(`the speaker view of a ${lang} deck is in ${lang} and has no serious or critical axe violation`, async ({ page }) => {
    const deck = decks.find((d) => d.startsWith(`/${lang}/`) && d.includes('business-models'))!;
    await page.goto(deck);
    await expect(page.locator('.reveal')).toHaveAttribute('data-current-slide', '1');
    const [speaker] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    await speaker.waitForLoadState();
    await expect(speaker.locator('.speaker-controls-notes')).toBeAttached();
    await expect(speaker.locator('html')).toHaveAttribute('lang', lang);
    await expect(speaker.locator('.speaker-controls-notes .label')).toHaveText(speakerLabels[lang].notes);
    await expect(speaker.locator('#upcoming-slide .label')).toHaveText(speakerLabels[lang].upcoming);
    // Both slide previews have loaded the deck before the scan.
    await expect(speaker.locator('#current-slide iframe')).toBeAttached();
    await page.keyboard.press('ArrowRight');
    const { violations } = await new AxeBuilder({ page: speaker }).analyze();
    expect(
      violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        ),
    ).toEqual([]);
    await speaker.close();
  });
}
