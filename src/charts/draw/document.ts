import { el, escapeXml, text } from '../svg/svg.js';
import { wrapText } from '../svg/text-metrics.js';
import { TITLE_FONT, TITLE_LINE } from './layout.js';
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

/**
 * The title's lines: at most `maxLines` within `maxWidth`, the last ellipsized if the rest is longer (the full title
 * stays in the document's `<title>`).
 */
export function titleLines(title: string, maxWidth: number, maxLines = 2): string[] {
  return wrapText(title, maxWidth, TITLE_FONT, maxLines);
}

/** The chart's title, left-aligned over the plot, one `<text>` per line. */
export function titleText(x: number, y: number, lines: readonly string[]): string {
  return lines.map((line, i) => text({ class: 'chart-title', x, y: y + i * TITLE_LINE, 'font-size': TITLE_FONT, fill: INK }, line)).join('');
}
