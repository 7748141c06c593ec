import { intlLocale } from '../i18n/format.ts';
import { textDirection, type Language } from '../i18n/languages.ts';

/**
 * reveal.js's speaker view (node_modules/reveal.js/plugin/notes/speaker-view.html, which the notes
 * plugin writes into an about:blank popup) in the deck's language and accessible: `lang`, title,
 * labels, layout names and clock in the deck's language; the layout select labelled (axe
 * select-name), both slide previews titled (frame-title), AA contrast on its labels
 * (color-contrast). Pure string edits of the template, so the build can hash the changed inline
 * script for the site's Content-Security-Policy (src/integrations/csp-hashes.ts) and the browser
 * makes exactly the same text (src/components/SlideDeck.astro).
 */

/** The speaker view's words in one language (resolved UI strings, src/lib/speaker-view-strings.ts). */
export interface SpeakerViewStrings {
  lang: Language;
  /** The window's title; outside the script, so it may name the lesson. */
  title: string;
  loading: string;
  upcoming: string;
  time: string;
  reset: string;
  pacing: string;
  notes: string;
  /** Raw template with {{layout}}: the script fills it in. */
  layoutChosen: string;
  layouts: { default: string; wide: string; tall: string; notesOnly: string };
  currentSlide: string;
  upcomingSlide: string;
  crossOrigin: string;
  connectionError: string;
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const js = (text: string) => JSON.stringify(text).replace(/</g, '\\u003c');

/**
 * The speaker view's HTML in the deck's language, accessible.
 * @param template the HTML reveal.js's notes plugin writes (reveal.js 5 speaker-view.html)
 * @param s the words, from speakerViewStrings
 * @returns the edited HTML
 * @throws Error naming the text when the template no longer has it (a reveal.js update changed
 *   the speaker view: adapt the edits rather than ship it half in English)
 */
export function localiseSpeakerView(template: string, s: SpeakerViewStrings): string {
  const edits: [string, string][] = [
    ['<html lang="en">', `<html lang="${html(s.lang)}" dir="${textDirection(s.lang)}">`],
    ['<title>reveal.js - Speaker View</title>', `<title>${html(s.title)}</title>`],
    ['>Loading speaker view...<', `>${html(s.loading)}<`],
    ['<span class="overlay-element label">Upcoming</span>', `<span class="overlay-element label">${html(s.upcoming)}</span>`],
    [
      '<h4 class="label">Time <span class="reset-button">Click to Reset</span></h4>',
      `<h4 class="label">${html(s.time)} <span class="reset-button">${html(s.reset)}</span></h4>`,
    ],
    ['>Pacing – Time to finish current slide<', `>${html(s.pacing)}<`],
    ['<h4 class="label">Notes</h4>', `<h4 class="label">${html(s.notes)}</h4>`],
    ['<span class="clock-value">0:00 AM</span>', '<span class="clock-value"></span>'],
    // select-name: the visible "Layout: Default" text becomes the select's label.
    [
      '<span class="speaker-layout-label"></span>\n\t\t\t<select class="speaker-layout-dropdown"></select>',
      '<label class="speaker-layout-label" for="speaker-layout-dropdown"></label>\n\t\t\t<select class="speaker-layout-dropdown" id="speaker-layout-dropdown"></select>',
    ],
    ["'default': 'Default',", `'default': ${js(s.layouts.default)},`],
    ["'wide': 'Wide',", `'wide': ${js(s.layouts.wide)},`],
    ["'tall': 'Tall',", `'tall': ${js(s.layouts.tall)},`],
    ["'notes-only': 'Notes only'", `'notes-only': ${js(s.layouts.notesOnly)}`],
    [
      "layoutLabel.innerHTML = 'Layout' + ( title ? ( ': ' + title ) : '' );",
      `layoutLabel.textContent = ${js(s.layoutChosen)}.replace( '{{layout}}', title || '' );`,
    ],
    [
      "toLocaleTimeString( 'en-US', { hour12: true, hour: '2-digit', minute:'2-digit' } )",
      `toLocaleTimeString( ${js(intlLocale(s.lang))}, { hour: '2-digit', minute: '2-digit' } )`,
    ],
    [
      "connectionStatus.innerHTML = 'Cross origin error.<br>The speaker window can only be opened from the same origin.';",
      `connectionStatus.textContent = ${js(s.crossOrigin)};`,
    ],
    [
      "connectionStatus.innerHTML = 'Error connecting to main window.<br>Please try closing and reopening the speaker view.';",
      `connectionStatus.textContent = ${js(s.connectionError)};`,
    ],
    // frame-title: each slide preview is named.
    [
      "currentSlide.setAttribute( 'src', currentURL );",
      `currentSlide.setAttribute( 'src', currentURL );\n\t\t\t\t\tcurrentSlide.setAttribute( 'title', ${js(s.currentSlide)} );`,
    ],
    [
      "upcomingSlide.setAttribute( 'src', upcomingURL );",
      `upcomingSlide.setAttribute( 'src', upcomingURL );\n\t\t\t\t\tupcomingSlide.setAttribute( 'title', ${js(s.upcomingSlide)} );`,
    ],
    // color-contrast: the labels over the previews get an opaque background, the controls dark text.
    [
      '</head>',
      '<style>.overlay-element { background: #dcdcdc; color: #1a1a1a; } #speaker-controls .label, .speaker-controls-time .reset-button { color: #4a4a4a; opacity: 1; } .speaker-controls-time .timer, .speaker-controls-time .clock, .speaker-controls-time .pacing { color: #1a1a1a; } .speaker-controls-time span.mute { opacity: 1; color: #595959; }</style>\n\t</head>',
    ],
  ];
  let out = template;
  for (const [from, to] of edits) {
    if (!out.includes(from)) throw new Error(`reveal.js speaker view: "${from}" not found; the notes plugin's template changed`);
    out = out.replace(from, () => to);
  }
  return out;
}

/**
 * Make the notes plugin write the localised speaker view: wrap `window.open` so that the popup
 * the plugin opens (window name "reveal.js - Notes", reveal.js plugin/notes/plugin.js) receives
 * localiseSpeakerView's HTML through its `document.write`. Call once, in the deck's page.
 * @param strings the deck's words (speakerViewStrings, passed from the build)
 */
export function installSpeakerView(strings: SpeakerViewStrings): void {
  const open = window.open.bind(window);
  window.open = (url?: string | URL, target?: string, features?: string) => {
    const popup = open(url, target, features);
    if (popup && target === 'reveal.js - Notes') {
      const doc = popup.document;
      const write = doc.write.bind(doc);
      doc.write = (...text: string[]) => write(localiseSpeakerView(text.join(''), strings));
    }
    return popup;
  };
}
