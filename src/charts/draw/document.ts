import { el, escapeXml, text } from '../svg/svg.js';
import { BACKGROUND, FONT_FAMILY, INK } from './theme.js';

/** The SVG document: white background, title, and the parts in drawing order. */
export function svgDocument(width: number, height: number, title: string, defs: readonly string[], parts: readonly string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT_FAMILY}">` +
    `<title>${escapeXml(title)}</title>` +
    (defs.length > 0 ? `<defs>${defs.join('')}</defs>` : '') +
    el('rect', { x: 0, y: 0, width, height, fill: BACKGROUND }) +
    parts.join('') +
    '</svg>\n'
  );
}

/** The chart's title line, left-aligned over the plot. */
export function titleText(x: number, y: number, title: string): string {
  return text({ class: 'chart-title', x, y, 'font-size': 17, fill: INK }, title);
}
