/** Attributes of one element of our SVG output, as strings. */
export type Attributes = Record<string, string>;

function parseAttributes(text: string): Attributes {
  const out: Attributes = {};
  for (const m of text.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/**
 * The opening tags of `tag` elements whose class is `className`, with their attributes. Our SVG is written by one
 * serializer (attributes double-quoted, values escaped), so a pattern reads it reliably; no XML parser needed.
 */
export function elements(svg: string, tag: string, className?: string): Attributes[] {
  const out: Attributes[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))) {
    const attrs = parseAttributes(m[1]!);
    if (className === undefined || attrs.class === className) out.push(attrs);
  }
  return out;
}

/** The groups `<g class="className" ...>...</g>` with no nested groups, attributes and inner markup. */
export function groups(svg: string, className: string): { attrs: Attributes; inner: string }[] {
  return [...svg.matchAll(new RegExp(`<g class="${className}"([^>]*)>(.*?)</g>`, 'g'))].map((m) => ({ attrs: parseAttributes(m[1]!), inner: m[2]! }));
}

/** The plot area of a panel, from its frame. */
export function panel(svg: string, name: string): { x: number; y: number; width: number; height: number } {
  const frame = elements(svg, 'rect', 'plot-area').find((r) => r['data-panel'] === name);
  if (frame === undefined) throw new Error(`no panel ${name}`);
  return { x: Number(frame.x), y: Number(frame.y), width: Number(frame.width), height: Number(frame.height) };
}

/** Numbers in a path's `d`, as [x, y] pairs. */
export function pathPoints(d: string): [number, number][] {
  const nums = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) out.push([nums[i]!, nums[i + 1]!]);
  return out;
}

/** Every `<text>` of our SVG with its content (unescaped), position, anchor and size. */
export function texts(svg: string): { content: string; x: number; y: number; anchor: string; size: number; attrs: Attributes }[] {
  const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const attrs = parseAttributes(m[1]!);
    return { content: unescape(m[2]!), x: Number(attrs.x), y: Number(attrs.y), anchor: attrs['text-anchor'] ?? 'start', size: Number(attrs['font-size']), attrs };
  });
}

/** The horizontal extent of a text as the bundled font draws it. */
export function textExtent(t: { content: string; x: number; anchor: string; size: number }, width: (s: string, size: number) => number): [number, number] {
  const w = width(t.content, t.size);
  return t.anchor === 'end' ? [t.x - w, t.x] : t.anchor === 'middle' ? [t.x - w / 2, t.x + w / 2] : [t.x, t.x + w];
}
