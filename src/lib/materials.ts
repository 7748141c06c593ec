import { getCollection, type CollectionEntry } from 'astro:content';
import { defaultLanguage, type Language } from '../i18n/languages.ts';
import { splitId } from './content.ts';

// Build-time queries over the printable materials (src/content.config.ts, `materials`): entry ids
// are "en/materials/<module>/<material>", the same relative path in every language.

/** The last path segment of a material's id: its slug within the module, the same in every language. */
export const materialSlug = (entry: CollectionEntry<'materials'>): string => entry.id.split('/').at(-1) ?? entry.id;

/**
 * The printable materials of a module in one language, sorted by workshop day (materials for no
 * single day last), then by title.
 * @param lang a code of the registry (src/i18n/languages.ts)
 * @param module a module slug (src/schemas/module.ts)
 * @throws Error when a material exists in English but not in `lang` (a page never falls back
 *   silently), or when a file's `module` field disagrees with the folder it is in
 */
export async function getMaterials(lang: Language, module: string): Promise<CollectionEntry<'materials'>[]> {
  const all = await getCollection('materials', (e) => splitId(e.id).slug.split('/')[0] === module);
  for (const e of all)
    if (e.data.module !== module)
      throw new Error(`content/${e.id}.mdx: module is "${e.data.module}" but the file is in the folder of "${module}"`);
  const here = all.filter((e) => splitId(e.id).lang === lang);
  for (const en of all.filter((e) => splitId(e.id).lang === defaultLanguage))
    if (!here.some((e) => materialSlug(e) === materialSlug(en)))
      throw new Error(`content/${lang}/materials/${module}/${materialSlug(en)}.mdx is missing (it exists in English)`);
  const day = (e: CollectionEntry<'materials'>) => e.data.day ?? Number.POSITIVE_INFINITY;
  return here.sort((a, b) => day(a) - day(b) || a.data.title.localeCompare(b.data.title, lang));
}
