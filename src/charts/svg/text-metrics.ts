import { fontAdvances } from './font-advances.js';

/**
 * How wide text is in the bundled DejaVu Sans, so that titles, labels and legends can be fitted to the space they
 * have instead of running off the picture. Advance widths of U+0020–U+007E in 1/2048 em, as in
 * assets/fonts/DejaVuSans.ttf (hmtx through the Unicode cmap), kept here so that ASCII text never reads the font
 * file; test/charts/svg/text-metrics.test.ts reads the font and checks every entry. Other characters are looked up
 * in the font file (see font-advances.ts). Kerning is ignored: it only ever narrows text.
 */
const ASCII_ADVANCE = [
  651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
  2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
  1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
  1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
  1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
] as const;

/** The few non-ASCII characters the charts write themselves, so that drawing them never needs the font file. */
const OTHER_ADVANCE: Readonly<Record<string, number>> = { '…': 2048, '−': 1716, '×': 1716, '↑': 1716, '·': 651, '–': 1024, '—': 2048 };

/**
 * A character the font lacks (CJK, emoji: resvg draws nothing for it) or any other when the font file cannot be read:
 * counted wide, one em, so that a fitted label errs on the short side rather than overflowing.
 */
const FALLBACK_ADVANCE = 2048;
const UNITS_PER_EM = 2048;

export const ELLIPSIS = '…';

/** Width in pixels of `content` at `fontSize`. */
export function textWidth(content: string, fontSize: number): number {
  let units = 0;
  for (const ch of content) {
    const code = ch.codePointAt(0) as number;
    units += code >= 0x20 && code <= 0x7e ? (ASCII_ADVANCE[code - 0x20] as number) : (OTHER_ADVANCE[ch] ?? fontAdvances()?.(code) ?? FALLBACK_ADVANCE);
  }
  return (units / UNITS_PER_EM) * fontSize;
}

/**
 * `content` shortened with an ellipsis until it fits `maxWidth`: at the end (`end`) or in the middle (`middle`, for
 * names that differ at their end, such as report files stamped with a time). '' when not even the ellipsis fits.
 * Cost O(length): a title of a million characters is cut without measuring each prefix.
 */
export function fitText(content: string, maxWidth: number, fontSize: number, where: 'end' | 'middle' = 'end'): string {
  if (textWidth(content, fontSize) <= maxWidth) return content;
  const budget = maxWidth - textWidth(ELLIPSIS, fontSize);
  if (budget < 0) return '';
  // Code points, as the advance table is indexed: grapheme clusters would not change a width estimate.
  const chars = Array.from(content);
  const take = (from: number, step: 1 | -1, limit: number): number => {
    let used = 0;
    let n = 0;
    for (let i = from; i >= 0 && i < chars.length; i += step) {
      const w = textWidth(chars[i] as string, fontSize);
      if (used + w > limit) break;
      used += w;
      n++;
    }
    return n;
  };
  if (where === 'end') return `${chars.slice(0, take(0, 1, budget)).join('').trimEnd()}${ELLIPSIS}`;
  const head = take(0, 1, budget / 2);
  const tail = take(chars.length - 1, -1, budget - textWidth(chars.slice(0, head).join(''), fontSize));
  return `${chars.slice(0, head).join('')}${ELLIPSIS}${chars.slice(chars.length - tail).join('')}`;
}

/**
 * `content` broken into at most `maxLines` lines of `maxWidth`, at spaces where it can (after a comma or a colon
 * reads best), the last line ellipsized if the rest does not fit.
 */
export function wrapText(content: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const words = content.split(/(?<= )/);
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const w = textWidth(word.trimEnd(), fontSize);
    if (line === '' || width + w <= maxWidth) {
      line += word;
      width += textWidth(word, fontSize);
      continue;
    }
    if (lines.length === maxLines - 1) {
      line += words.slice(i).join('');
      break;
    }
    lines.push(line.trimEnd());
    line = word;
    width = textWidth(word, fontSize);
  }
  lines.push(line.trimEnd());
  return lines.map((l) => fitText(l, maxWidth, fontSize));
}
