import type { APIRoute, GetStaticPaths } from 'astro';
import { languages, type Language } from '../../i18n/languages.ts';
import { useTranslations } from '../../i18n/translator.ts';
import { manifestIcons } from '../../lib/icons.ts';

/**
 * /{lang}/manifest.webmanifest: installs the site on a phone's home screen in the learner's
 * language, opening that language's module list (W3C Web Application Manifest). Its icons are
 * the SVG favicon and the PNG icons drawn from it at build time, 192 and 512 pixels, "any" and
 * "maskable" (src/lib/icons.ts).
 */
export const getStaticPaths: GetStaticPaths = () => languages.map((lang) => ({ params: { lang } }));

export const GET: APIRoute = ({ params }) => {
  const lang = params['lang'] as Language;
  const t = useTranslations(lang);
  const manifest = {
    name: t('site.title'),
    short_name: 'DCE 2005',
    description: t('manifest.description'),
    lang,
    start_url: `/${lang}/`,
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#0b4f8a',
    icons: manifestIcons(),
  };
  return new Response(JSON.stringify(manifest), { headers: { 'Content-Type': 'application/manifest+json' } });
};
