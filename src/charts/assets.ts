import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// This file sits two levels below the package root both as src/charts/assets.ts and as dist/charts/assets.js, so the
// same relative URL finds assets/ from the sources (tests) and from the build (users).

/** DejaVu Sans, bundled so that text renders the same on a server without fonts (see assets/fonts/LICENSE-DejaVu.txt). */
export const FONT_FILE = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url));
export const FONT_FAMILY_NAME = 'DejaVu Sans';

const require = createRequire(import.meta.url);

/** uPlot's browser build and stylesheet, inlined into HTML reports. */
export function uplotFiles(): { script: string; style: string } {
  return {
    script: require.resolve('uplot/dist/uPlot.iife.min.js'),
    style: require.resolve('uplot/dist/uPlot.min.css'),
  };
}
