import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languages } from '../../src/i18n/languages.ts';
import { useTranslations } from '../../src/i18n/translator.ts';

const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../locales/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>;
const en = load('en');
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe.each(languages)('UI strings in %s', (lang) => {
  const dict = load(lang);
  it('has exactly the keys of en.json', () => {
    expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
  });
  it('has no empty string and keeps every {{placeholder}}', () => {
    for (const [key, value] of Object.entries(en)) {
      expect(dict[key]?.trim(), key).toBeTruthy();
      expect(placeholders(dict[key] ?? ''), key).toEqual(placeholders(value));
    }
  });
  it('resolves plurals and fails loudly on an unknown key', () => {
    const t = useTranslations(lang);
    expect(t('home.days', { count: 5 })).toContain('5');
    expect(() => t('no.such.key' as never)).toThrow(/Missing UI string/);
  });
});
