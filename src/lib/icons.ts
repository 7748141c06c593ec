import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/**
 * The site's PNG icons, drawn at build time from its one drawing, public/favicon.svg (a blue
 * rounded square, #0b4f8a, with two overlapping circles). Pages link them (the apple-touch-icon in
 * src/layouts/BaseLayout.astro), every web app manifest lists them (src/pages/[lang]/manifest.webmanifest.ts)
 * and src/pages/[icon].png.ts renders each at /{name}.png. docs/deploy.md, "Icons", says how to
 * change the drawing.
 */

/** The colour behind the drawing on full-bleed icons: the favicon's own square, the manifests' theme colour. */
export const ICON_BACKGROUND = '#0b4f8a';

/**
 * How much of a full-bleed icon's width the drawing takes. A maskable icon may be cut to any
 * shape that contains the centred circle of radius 40% of its width, its safe zone (W3C Web
 * Application Manifest, "Icon masks"). Drawn at 80%, the favicon's circles reach at most
 * 11/32 x 80% = 27.5% of the width from the centre, well inside; the rest is background.
 */
export const MASKABLE_DRAWING_SHARE = 0.8;

/** One PNG icon of the site. */
export interface SiteIcon {
  /** The file name without ".png", served at /{name}.png. */
  name: string;
  /** Width and height in pixels (square). */
  size: number;
  /**
   * The manifest's purpose: "any" (the drawing as it is, transparent corners) or "maskable"
   * (full bleed, the drawing inside the safe zone). The apple-touch-icon is full bleed too
   * (iOS rounds the corners itself and shows transparency as black) and is in no manifest.
   */
  purpose: 'any' | 'maskable' | 'apple-touch';
}

/**
 * Every PNG icon: 192 and 512 pixels, the sizes Chromium's install prompt and splash screen
 * use, in both purposes, and the 180-pixel apple-touch-icon of iOS home screens.
 */
export const siteIcons: readonly SiteIcon[] = [
  { name: 'icon-192', size: 192, purpose: 'any' },
  { name: 'icon-512', size: 512, purpose: 'any' },
  { name: 'icon-maskable-192', size: 192, purpose: 'maskable' },
  { name: 'icon-maskable-512', size: 512, purpose: 'maskable' },
  { name: 'apple-touch-icon', size: 180, purpose: 'apple-touch' },
];

/** The icons a web app manifest lists: the SVG favicon (any size) and the PNG icons of purpose any or maskable. */
export function manifestIcons(): { src: string; sizes: string; type: string; purpose: string }[] {
  return [
    { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ...siteIcons
      .filter((icon) => icon.purpose !== 'apple-touch')
      .map((icon) => ({ src: `/${icon.name}.png`, sizes: `${icon.size}x${icon.size}`, type: 'image/png', purpose: icon.purpose })),
  ];
}

/**
 * Draw one icon as PNG from public/favicon.svg: "any" is the drawing scaled to the size; the
 * full-bleed ones are a square of ICON_BACKGROUND with the drawing centred at MASKABLE_DRAWING_SHARE
 * of the width. The SVG is rasterised at the target size (not scaled up from 32 pixels), then
 * stored with a 256-colour palette, which keeps the files a few KB.
 * @param icon an entry of siteIcons
 * @param svgPath the drawing (default public/favicon.svg, relative to the working directory, the
 *   project's root in every build)
 * @returns the PNG file's bytes
 * @throws Error when the SVG cannot be read or rasterised
 */
export async function renderIcon(icon: SiteIcon, svgPath = 'public/favicon.svg'): Promise<Uint8Array<ArrayBuffer>> {
  const svg = await readFile(svgPath);
  const drawn = icon.purpose === 'any' ? icon.size : Math.round(icon.size * MASKABLE_DRAWING_SHARE);
  const { width = 32 } = await sharp(svg).metadata();
  // Density in dots per inch: librsvg draws an SVG of `width` CSS pixels at 72 dpi by default.
  const drawing = await sharp(svg, { density: (72 * drawn) / width })
    .resize(drawn, drawn)
    .png()
    .toBuffer();
  const canvas =
    icon.purpose === 'any'
      ? sharp(drawing)
      : sharp({ create: { width: icon.size, height: icon.size, channels: 4, background: ICON_BACKGROUND } }).composite([
          { input: drawing, gravity: 'centre' },
        ]);
  return new Uint8Array(await canvas.png({ palette: true, compressionLevel: 9 }).toBuffer());
}
