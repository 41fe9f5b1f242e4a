/**
 * Pieces of the line-by-line text report reader. Each looks at one line (already trimmed) and does a bounded amount
 * of work per character of it, so reading a report is linear in its size whatever the file holds.
 */

/** A figure as the text report prints it: a number, `inf`, `-inf` or `n/a` (case-insensitive). */
const NUMBER = /^(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|-?inf|n\/a)/i;

export interface Leading {
  value: number;
  rest: string;
}

/** The figure at the start of `text` (after spaces) and what follows it, or undefined. */
export function leadingNumber(text: string): Leading | undefined {
  const trimmed = text.trimStart();
  const m = NUMBER.exec(trimmed);
  if (m?.[1] === undefined) return undefined;
  return { value: figureValue(m[1]), rest: trimmed.slice(m[1].length) };
}

export function figureValue(text: string): number {
  const first = text.charCodeAt(text.startsWith('-') ? 1 : 0);
  if ((first >= 48 && first <= 57) || first === 46) return Number(text); // a digit or '.': the common case
  const t = text.toLowerCase();
  if (t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  if (t === 'n/a') return Number.NaN;
  return Number(text);
}

/** Whether `line` starts with `label`, ignoring the case of ASCII letters (labels are ASCII); allocates nothing. */
export function startsWithLabel(line: string, label: string): boolean {
  if (line.length < label.length) return false;
  for (let i = 0; i < label.length; i++) {
    const a = line.charCodeAt(i);
    const b = label.charCodeAt(i);
    if (a !== b && ((a | 0x20) !== (b | 0x20) || (b | 0x20) < 97 || (b | 0x20) > 122)) return false;
  }
  return true;
}

/** The rest of `line` after `label` when it starts with it (ignoring case), else undefined. */
export function after(line: string, label: string): string | undefined {
  return startsWithLabel(line, label) ? line.slice(label.length) : undefined;
}

/** `Label: <figure> <unit>`: the figure, when the line is that and the unit follows (ignoring case). */
export function labelledFigure(line: string, label: string, unit = ''): number | undefined {
  const rest = after(line, label);
  if (rest === undefined) return undefined;
  const n = leadingNumber(rest);
  if (n === undefined) return undefined;
  return after(n.rest.trimStart(), unit) === undefined ? undefined : n.value;
}

/** Table cells as the text tables separate them: two or more spaces. */
export function cells(line: string): string[] {
  return line.split(/\s{2,}/).filter((c) => c !== '');
}

/** A rule line: only `=` (or only `-`) characters. */
export function isRule(line: string, char: '=' | '-'): boolean {
  if (line.length === 0) return false;
  for (let i = 0; i < line.length; i++) if (line[i] !== char) return false;
  return true;
}
