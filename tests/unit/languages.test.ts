import { describe, expect, it } from 'vitest';
import { isLanguage, languages } from '../../src/i18n/languages.ts';

describe('languages', () => {
  it('publishes English, French and Spanish', () => {
    expect(languages).toEqual(['en', 'fr', 'es']);
  });
  it('recognises only its own language codes', () => {
    expect(isLanguage('fr')).toBe(true);
    expect(isLanguage('de')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
