/**
 * Just enough PromQL reading for the dashboard tests: which series an expression selects (with the labels its
 * matchers name), and what range each rate()/irate()/increase() takes. Syntax itself is Prometheus' business:
 * test/dashboards/series.test.ts has promtool parse every expression.
 */

export interface Selector {
  metric: string;
  labels: string[];
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan', 'atan2']);
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

/** Every series selector `metric{matchers}` or bare `metric`, in order; grouping label lists are not selectors. */
export function selectors(expr: string): Selector[] {
  const text = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""'); // string contents cannot be mistaken for names
  const out: Selector[] = [];
  let i = 0;
  let afterGrouping = false;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '[') {
      i = text.indexOf(']', i) + 1; // a range or subquery duration
      continue;
    }
    if (c === '{') {
      // A selector with no metric name ({__name__=...}) is not used here.
      i = text.indexOf('}', i) + 1;
      continue;
    }
    if (/[0-9]/.test(c)) {
      i = skipNumber(text, i);
      continue;
    }
    IDENT.lastIndex = i;
    const m = IDENT.exec(text);
    if (m === null) {
      if (c === '(' && afterGrouping) {
        i = text.indexOf(')', i) + 1; // by (...), on (...), group_left (...): label names
        afterGrouping = false;
        continue;
      }
      if (!/\s/.test(c)) afterGrouping = false;
      i++;
      continue;
    }
    const word = m[0];
    i += word.length;
    const rest = text.slice(i).trimStart();
    if (KEYWORDS.has(word)) {
      afterGrouping = ['by', 'without', 'on', 'ignoring', 'group_left', 'group_right'].includes(word);
      continue;
    }
    afterGrouping = false;
    if (rest.startsWith('(') || /^(by|without)\s*\(/.test(rest)) continue; // a function or aggregation
    const labels: string[] = [];
    if (rest.startsWith('{')) {
      const start = text.indexOf('{', i);
      const end = text.indexOf('}', start);
      for (const matcher of text.slice(start + 1, end).split(',')) {
        const name = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/.exec(matcher);
        if (name?.[1] !== undefined) labels.push(name[1]);
      }
      i = end + 1;
    }
    out.push({ metric: word, labels });
  }
  return out;
}

function skipNumber(text: string, i: number): number {
  const m = /[0-9.eE+-]*[a-zA-Z]*/y;
  m.lastIndex = i;
  const found = m.exec(text);
  return i + Math.max(1, found?.[0].length ?? 1);
}

/** The range selector(s) inside each rate(), irate() and increase() call: `[$__rate_interval]` is what we want. */
export function rangeFunctionWindows(expr: string): Array<{ fn: string; windows: string[] }> {
  const out: Array<{ fn: string; windows: string[] }> = [];
  const call = /\b(rate|irate|increase)\s*\(/g;
  for (let m = call.exec(expr); m !== null; m = call.exec(expr)) {
    let depth = 1;
    let j = m.index + m[0].length;
    const start = j;
    for (; j < expr.length && depth > 0; j++) {
      if (expr[j] === '(') depth++;
      else if (expr[j] === ')') depth--;
    }
    const inner = expr.slice(start, j - 1);
    out.push({ fn: m[1] ?? '', windows: [...inner.matchAll(/\[([^\]]*)\]/g)].map((w) => w[1] ?? '') });
  }
  return out;
}
