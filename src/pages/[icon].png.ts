import type { APIRoute, GetStaticPaths } from 'astro';
import { renderIcon, siteIcons, type SiteIcon } from '../lib/icons.ts';

/**
 * /{name}.png: the site's PNG icons (src/lib/icons.ts: icon-192, icon-512, icon-maskable-192,
 * icon-maskable-512, apple-touch-icon), drawn with sharp from public/favicon.svg when the site is
 * built (and on request by the development server), so no binary is kept in the repository.
 */
export const getStaticPaths: GetStaticPaths = () => siteIcons.map((icon) => ({ params: { icon: icon.name }, props: { icon } }));

export const GET: APIRoute<{ icon: SiteIcon }> = async ({ props }) =>
  new Response(await renderIcon(props.icon), { headers: { 'Content-Type': 'image/png' } });
