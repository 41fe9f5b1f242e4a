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
 * `content` broken into at most `maxLines` lines of `maxWidth`, the last ellipsized if the rest does not fit. Where a
 * break after a comma, colon or dash gives lines that fit, the last such break is used ("Benchmark: workload," then
 * "iteration 2 of 3" rather than a lone "3"); otherwise the lines are filled word by word.
 */
export function wrapText(content: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const total = textWidth(content, fontSize);
  if (maxLines <= 1 || total <= maxWidth) return [fitText(content, maxWidth, fontSize)];
  // Breaks whose first line fits, found from the left and given up as soon as the first line would not fit: the
  // work stays bounded by the width, not by the length, of a title of any size.
  const breaks: { at: number; width: number }[] = [];
  const pattern = /[,:;–—] /g;
  let from = 0;
  let width = 0;
  for (let m = pattern.exec(content); m !== null; m = pattern.exec(content)) {
    width += textWidth(content.slice(from, m.index + 1), fontSize);
    from = m.index + 1;
    if (width > maxWidth) break;
    breaks.push({ at: m.index + 1, width });
  }
  for (const b of breaks.reverse()) {
    // An earlier break leaves a longer rest: once the rest cannot fit the other lines, no earlier break can help.
    if (total - b.width - textWidth(' ', fontSize) > (maxLines - 1) * maxWidth) break;
    const lines = wrapText(content.slice(b.at + 1), maxWidth, fontSize, maxLines - 1);
    if (!lines.some((l) => l.endsWith(ELLIPSIS))) return [content.slice(0, b.at), ...lines];
  }
  return fillLines(content, maxWidth, fontSize, maxLines);
}

/** Lines filled word by word, the rest of the text on the last one, ellipsized. O(length). */
function fillLines(content: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
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
