import { describe, expect, it } from 'vitest';
import { fill, formatDate, formatNumber, plural, pluralCategory, pluralForms } from '../../src/i18n/format.ts';
import { defaultLanguage, languageEntry, languageNames, languages, textDirection } from '../../src/i18n/languages.ts';
import { dictionaries } from '../../src/i18n/translator.ts';

describe('the language registry', () => {
  it('gives every language its endonym, direction, search pipeline and formats', () => {
    expect(languages).toEqual(['en', 'fr', 'es']);
    expect(defaultLanguage).toBe('en');
    expect(languageNames).toEqual({ en: 'English', fr: 'Français', es: 'Español' });
    expect(languages.map(textDirection)).toEqual(['ltr', 'ltr', 'ltr']);
    expect(languages.map((l) => languageEntry(l).stemmer)).toEqual([null, 'fr', 'es']);
  });
  it('has a locale file for every language', () => {
    expect(Object.keys(dictionaries)).toEqual([...languages]);
  });
});

describe('format', () => {
  it('fills placeholders, writing numbers as the language does, and keeps unknown ones', () => {
    expect(fill('Question {{number}} of {{total}}', { number: 2, total: 5 })).toBe('Question 2 of 5');
    expect(fill('{{count}} statements read', { count: 12345 }, 'en')).toBe('12,345 statements read');
    expect(fill('{{count}} déclarations', { count: 12345 }, 'fr')).toBe('12\u202f345 déclarations');
    expect(fill('Adopted in {{year}}', { year: 2005 }, 'fr')).toBe('Adopted in 2005');
    expect(fill('{{a}} and {{b}}', { a: 'x' })).toBe('x and {{b}}');
  });
  it('picks the plural form by CLDR rules: French counts 0 and 1 as "one", English only 1', () => {
    const forms = pluralForms(dictionaries.fr, 'search.results');
    expect(pluralCategory('fr', 0)).toBe('one');
    expect(pluralCategory('en', 0)).toBe('other');
    expect(plural('fr', forms, 0, { query: 'fonds' })).toBe(fill(dictionaries.fr['search.results_one'], { count: 0, query: 'fonds' }));
    expect(plural('en', pluralForms(dictionaries.en, 'search.results'), 2, { query: 'fund' })).toBe('2 results for “fund”');
    expect(plural('en', { one: '{{count}} day', other: '{{count}} days' }, 1)).toBe('1 day');
  });
  it('collects every plural form a locale file has, and fails without "_other"', () => {
    expect(pluralForms({ x_one: 'a', x_few: 'b', x_other: 'c' }, 'x')).toEqual({ one: 'a', few: 'b', other: 'c' });
    expect(() => pluralForms({ x_one: 'a' }, 'x')).toThrow('x_other');
  });
  it("formats numbers and dates with the registry's locale", () => {
    expect(formatNumber('es', 1234.5)).toBe('1234,5');
    expect(formatNumber('es', 12345.5)).toBe('12.345,5');
    expect(formatNumber('en', 0.5, { style: 'percent' })).toBe('50%');
    expect(formatDate('en', new Date('2027-03-18T09:30:00Z'), { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })).toBe(
      'March 18, 2027',
    );
  });
});
