import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'node-html-parser';
import { localiseSpeakerView } from '../../src/lib/speaker-view.ts';
import { speakerViewStrings } from '../../src/lib/speaker-view-strings.ts';
import { languages } from '../../src/i18n/languages.ts';

// The template reveal.js's notes plugin writes into the speaker window.
const template = readFileSync(createRequire(import.meta.url).resolve('reveal.js/plugin/notes/speaker-view.html'), 'utf8');

describe('localiseSpeakerView', () => {
  for (const lang of languages) {
    it(`writes the speaker view in ${lang}, with a labelled select and titled previews`, () => {
      const s = speakerViewStrings(lang, 'Business models');
      const out = localiseSpeakerView(template, s);
      const root = parse(out);
      expect(root.querySelector('html')!.getAttribute('lang')).toBe(lang);
      expect(root.querySelector('title')!.text).toBe(s.title);
      expect(root.querySelector('.speaker-controls-notes .label')!.text).toBe(s.notes);
      expect(root.querySelector('#upcoming-slide .label')!.text).toBe(s.upcoming);
      expect(root.querySelector('label.speaker-layout-label')!.getAttribute('for')).toBe(root.querySelector('select')!.getAttribute('id'));
      expect(out).toContain(`currentSlide.setAttribute( 'title', ${JSON.stringify(s.currentSlide)} )`);
      expect(out).toContain(`toLocaleTimeString( "${lang}"`);
      if (lang !== 'en')
        for (const english of ['>Upcoming<', 'Click to Reset', 'Pacing –', "'Layout'", "'Notes only'", 'en-US'])
          expect(out).not.toContain(english);
    });
  }

  it('refuses a template it does not know rather than leave it half in English', () => {
    expect(() => localiseSpeakerView(template.replace('Click to Reset', 'Reset'), speakerViewStrings('fr', 'x'))).toThrow(/Click to Reset/);
  });
});
