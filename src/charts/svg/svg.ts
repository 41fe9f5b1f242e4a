/**
 * The few SVG primitives the charts are written with. Output must be byte-identical for the same input on every
 * machine (the PNG is rendered from it and tests compare it), so numbers are printed by one function, attributes come
 * out in the order they are given and nothing depends on the clock, randomness or the locale.
 */

export type Attrs = Record<string, string | number | undefined>;

/**
 * A coordinate or length: rounded to 0.1 px (finer is invisible and only grows the file), never `-0`, never an
 * exponent. A non-finite value prints as 0 rather than `NaN`, which would make the whole element invalid.
 */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 10) / 10;
  return rounded === 0 ? '0' : String(rounded);
}

/** Text and attribute values: the five XML specials escaped, control characters (invalid in XML 1.0) dropped. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** An element; `children` is already-serialized markup (use {@link text} for character data). */
export function el(name: string, attrs: Attrs, children?: string): string {
  return children === undefined ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

/** A `<text>` element with escaped content. */
export function text(attrs: Attrs, content: string): string {
  return el('text', attrs, escapeXml(content));
}

/** A group, left out when it would be empty. */
export function group(attrs: Attrs, children: readonly string[]): string {
  return children.length === 0 ? '' : el('g', attrs, children.join(''));
}

/**
 * A path's `d` from points, with M for the first point and L for the rest. Points closer than 0.05 px to the previous
 * one are skipped: they would print the same coordinates again.
 */
export function polylinePath(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = '';
  let lastX = '';
  let lastY = '';
  for (let i = 0; i < xs.length; i++) {
    const x = num(xs[i] as number);
    const y = num(ys[i] as number);
    if (x === lastX && y === lastY) continue;
    d += `${d === '' ? 'M' : 'L'}${x} ${y}`;
    lastX = x;
    lastY = y;
  }
  return d;
}
