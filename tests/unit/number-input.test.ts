import { describe, expect, it } from 'vitest';
import { formatNumberDisplay, formatNumberInput, numberSeparators, parseLocaleNumber } from '../../src/lib/number-input.ts';
import { languages } from '../../src/i18n/languages.ts';

const value = (v: number) => ({ kind: 'number', value: v });
const ambiguous = (a: number, b: number) => ({ kind: 'ambiguous', values: [a, b] });
const invalid = { kind: 'invalid' };

describe('numberSeparators', () => {
  it("learns each language's group and decimal marks from Intl", () => {
    expect(numberSeparators('en')).toEqual({ group: ',', decimal: '.' });
    expect(numberSeparators('fr')).toEqual({ group: '\u202f', decimal: ',' });
    expect(numberSeparators('es')).toEqual({ group: '.', decimal: ',' });
  });
});

describe('parseLocaleNumber', () => {
  it('reads "24,000" in English as twenty-four thousand, not 24', () => {
    expect(parseLocaleNumber('24,000', 'en')).toEqual(value(24000));
    expect(parseLocaleNumber('1,234,567.5', 'en')).toEqual(value(1234567.5));
  });
  it('reads French groups written with any kind of space and a decimal comma', () => {
    expect(parseLocaleNumber('24 000', 'fr')).toEqual(value(24000));
    expect(parseLocaleNumber('24\u202f000', 'fr')).toEqual(value(24000));
    expect(parseLocaleNumber('24\u00a0000', 'fr')).toEqual(value(24000));
    expect(parseLocaleNumber('1 234,5', 'fr')).toEqual(value(1234.5));
    expect(parseLocaleNumber('12,5', 'fr')).toEqual(value(12.5));
  });
  it('reads Spanish groups with points and a decimal comma', () => {
    expect(parseLocaleNumber('24.000', 'es')).toEqual(value(24000));
    expect(parseLocaleNumber('1.234.567,25', 'es')).toEqual(value(1234567.25));
    expect(parseLocaleNumber('12,5', 'es')).toEqual(value(12.5));
    expect(parseLocaleNumber('24 000', 'es')).toEqual(value(24000));
  });
  it('accepts the other convention when it is the only reading', () => {
    expect(parseLocaleNumber('12.5', 'fr')).toEqual(value(12.5));
    expect(parseLocaleNumber('12.5', 'es')).toEqual(value(12.5));
    expect(parseLocaleNumber('12,5', 'en')).toEqual(value(12.5));
    expect(parseLocaleNumber('1.234,5', 'en')).toEqual(value(1234.5));
    expect(parseLocaleNumber('24,000.5', 'fr')).toEqual(value(24000.5));
  });
  it('asks when a decimal mark before three digits could be a group mark', () => {
    expect(parseLocaleNumber('24,000', 'fr')).toEqual(ambiguous(24, 24000));
    expect(parseLocaleNumber('24,000', 'es')).toEqual(ambiguous(24, 24000));
    expect(parseLocaleNumber('1.500', 'en')).toEqual(ambiguous(1.5, 1500));
    expect(parseLocaleNumber('-1.500', 'en')).toEqual(ambiguous(-1.5, -1500));
  });
  it('does not ask when no grouping reading exists', () => {
    expect(parseLocaleNumber('0,500', 'fr')).toEqual(value(0.5));
    expect(parseLocaleNumber('24,0005', 'es')).toEqual(value(24.0005));
    expect(parseLocaleNumber('1,500', 'en')).toEqual(value(1500));
  });
  it('reads whole numbers, signs and a leading decimal mark', () => {
    expect(parseLocaleNumber(' 42 ', 'en')).toEqual(value(42));
    expect(parseLocaleNumber('-3,5', 'fr')).toEqual(value(-3.5));
    expect(parseLocaleNumber('\u22123.5', 'en')).toEqual(value(-3.5));
    expect(parseLocaleNumber(',5', 'es')).toEqual(value(0.5));
  });
  it('refuses text that is not a number or misplaces its marks', () => {
    for (const text of ['', ' ', 'douze', '12a', '1,2,3', '12,50,000', '1 2', '24.', '1.2.3,4,5', '--3', '1,234 567'])
      expect(parseLocaleNumber(text, 'en'), text).toEqual(invalid);
    expect(parseLocaleNumber('1 2', 'fr')).toEqual(invalid);
  });
  it('reads back what formatNumberInput writes, in every language', () => {
    for (const lang of languages)
      for (const n of [0, 0.5, 12.5, 24000, 1234567.25, -3.75])
        expect(parseLocaleNumber(formatNumberInput(n, lang), lang)).toEqual(value(n));
  });
  it("writes the two readings of an ambiguous number with the language's group marks", () => {
    expect(formatNumberDisplay(24000, 'fr')).toBe('24\u202f000');
    expect(formatNumberDisplay(24000, 'es')).toBe('24.000');
    expect(formatNumberDisplay(1500, 'en')).toBe('1,500');
  });
});
