import type { Language } from '../../i18n/languages.ts';
import { fill, plural, type PluralForms } from '../../i18n/format.ts';
import { fetchIndex, search, withSnippets, type SearchResult } from './query.ts';

// The search page's program (src/pages/[lang]/search.astro): the language's index is fetched on
// the first search (query.ts), the query is kept in the address (?q=) so a search can be shared
// and reloaded, and each result shows its kind, module and lesson, its title as a link and a
// snippet with the matches marked. Text from the index goes in as text, never as markup.

/**
 * Start the search page. Expects the form `[data-search-form]` (data-lang; data-strings: results
 * (plural forms, src/i18n/format.ts), none, loading, error and the kinds' names) with its input `q`, the status
 * `[data-search-status]` and the list `[data-search-results]`; runs the address's ?q= at once.
 */
export function startSearchPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  if (!form) return;
  const input = form.querySelector<HTMLInputElement>('input[name=q]')!;
  const status = document.querySelector<HTMLElement>('[data-search-status]')!;
  const list = document.querySelector<HTMLOListElement>('[data-search-results]')!;
  const lang = form.dataset['lang'] as Language;
  const { results: resultForms, ...s } = JSON.parse(form.dataset['strings'] ?? '{}') as Record<string, string> & { results: PluralForms };

  async function run(query: string) {
    list.replaceChildren();
    if (!query.trim()) {
      status.textContent = '';
      return;
    }
    status.textContent = s['loading'] ?? '';
    try {
      const loaded = await fetchIndex(lang);
      const results = await withSnippets(lang, loaded, search(loaded, query));
      status.textContent = results.length === 0 ? fill(s['none'] ?? '', { query }) : plural(lang, resultForms, results.length, { query });
      list.append(...results.map((r) => resultItem(r, s)));
    } catch {
      status.textContent = s['error'] ?? '';
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.replaceState(null, '', url);
    void run(input.value);
  });
  const initial = new URLSearchParams(location.search).get('q') ?? '';
  input.value = initial;
  if (initial) void run(initial);
}

/** One result as a list item: kind, module and lesson; the title as a link; the snippet with its matches in <mark>. */
function resultItem(r: SearchResult, s: Record<string, string>): HTMLLIElement {
  const li = document.createElement('li');
  const context = document.createElement('p');
  context.className = 'eyebrow';
  context.textContent = [s[r.document.kind], r.document.module, r.document.lesson].filter(Boolean).join(' · ');
  const link = document.createElement('a');
  link.href = r.document.url;
  link.textContent = r.document.title;
  const heading = document.createElement('h2');
  heading.append(link);
  const snippet = document.createElement('p');
  for (const part of r.snippet)
    snippet.append(part.match ? Object.assign(document.createElement('mark'), { textContent: part.text }) : part.text);
  li.append(context, heading, snippet);
  return li;
}
