import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The documentation's code blocks and the markers that say how each is proven to work:
 * - `<!-- program: NAME -->` on the line before a fence: a complete program, run by test/integration/doc-snippets.test.ts
 *   (an expectation per NAME there) against the packed tarball in a fresh directory;
 * - `<!-- excerpt: path/in/repo -->`: the block is a verbatim excerpt (contiguous lines, indentation kept) of a file a
 *   test runs;
 * - `<!-- promql-fragment: why -->`: a PromQL block that is deliberately partial, so promtool is not asked.
 */

export interface DocBlock {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** The block's text, the fence's indentation taken off each line, ending with a newline. */
  readonly body: string;
  readonly marker: { readonly kind: 'program' | 'excerpt' | 'promql-fragment'; readonly value: string } | undefined;
}

/** Languages whose blocks must carry a marker when they show memscope's use. */
export const RUNNABLE_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs', 'sh', 'bash', 'shell']);

/** What makes a block "show memscope's use": the package, its API, its CLI, the repo's npm scripts or its preload. */
const USES_MEMSCOPE = /memscope|MemoryProfiler|withMemoryProfiler|HeapSnapshotCapture|expectHeapBudget|\bnpm (?:start|test|run)\b|node --import/;

export function showsMemscope(body: string): boolean {
  return USES_MEMSCOPE.test(body);
}

/** Every fenced block of a Markdown file, with the marker on the line before it if there is one. */
export function codeBlocks(markdown: string, file: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = '', fence = '```', lang = ''] = open;
    const end = lines.findIndex((l, j) => j > i && l.trim() === fence);
    const stop = end === -1 ? lines.length : end;
    const body = lines.slice(i + 1, stop).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    const m = /^\s*<!--\s*(program|excerpt|promql-fragment):\s*(.*?)\s*-->\s*$/.exec(lines[i - 1] ?? '');
    blocks.push({
      file,
      line: i + 1,
      lang,
      body: body.join('\n') + '\n',
      marker: m === null ? undefined : { kind: m[1] as 'program' | 'excerpt' | 'promql-fragment', value: m[2]! },
    });
    i = stop;
  }
  return blocks;
}

/** README.md and every Markdown file under docs/, relative to `root`. */
export function documentedFiles(root: string, exclude: readonly string[] = []): string[] {
  const out = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (entry.endsWith('.md')) out.push(path);
    }
  };
  walk('docs');
  return out.filter((f) => !exclude.includes(f));
}

/** Every file under test/ (the places that can name a file they run). */
function testFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir))) {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('test');
  return out;
}

/** Whether `path` is run: it is a test, bench or example program itself, or some file under test/ names it. */
export function isRunByATest(root: string, path: string, tests = testFiles(root)): boolean {
  if (/^(test|bench|examples)\/.*\.(test|bench)\.[cm]?[jt]s$/.test(path)) return true;
  if (/^(bench|examples)\//.test(path)) return true;
  if (path.startsWith('test/fixtures/doc-programs/')) return true; // every one of them has an expectation in doc-snippets.test.ts
  return tests.some((t) => t !== path && readFileSync(join(root, t), 'utf8').includes(path));
}

/** Whether `block` is its lines, in order, contiguous, indentation kept, of `source`. */
export function isVerbatimExcerpt(block: string, source: string): boolean {
  const want = block.replace(/\n$/, '').split('\n');
  const have = source.split('\n');
  for (let i = 0; i + want.length <= have.length; i++) {
    if (want.every((l, j) => have[i + j] === l)) return true;
  }
  return false;
}

/**
 * What is wrong with the markers of one Markdown file: runnable blocks that show memscope's use with no marker,
 * excerpts that are not verbatim or whose file no test runs, markers on blocks they do not fit. One line each,
 * `file:line: problem`.
 */
export function markerProblems(root: string, file: string, tests = testFiles(root)): string[] {
  const problems: string[] = [];
  for (const block of codeBlocks(readFileSync(join(root, file), 'utf8'), file)) {
    const where = `${file}:${block.line}`;
    const { marker } = block;
    if (marker === undefined) {
      if (RUNNABLE_LANGS.has(block.lang) && showsMemscope(block.body)) {
        problems.push(`${where}: a \`${block.lang}\` block that shows memscope's use has no <!-- program: NAME --> or <!-- excerpt: path --> marker`);
      }
      continue;
    }
    if (marker.kind === 'promql-fragment') {
      if (block.lang !== 'promql' && block.lang !== 'yaml') problems.push(`${where}: promql-fragment on a \`${block.lang}\` block`);
      else if (marker.value === '') problems.push(`${where}: promql-fragment without a reason`);
      continue;
    }
    if (marker.kind === 'program') {
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(marker.value)) problems.push(`${where}: program name "${marker.value}" is not kebab-case`);
      continue;
    }
    const target = marker.value;
    if (!existsSync(join(root, target))) {
      problems.push(`${where}: excerpt of ${target}, which does not exist`);
      continue;
    }
    if (!isVerbatimExcerpt(block.body, readFileSync(join(root, target), 'utf8'))) {
      problems.push(`${where}: not a verbatim excerpt of ${target} (its lines, in order, contiguous, indentation kept)`);
    }
    if (!isRunByATest(root, target, tests)) problems.push(`${where}: excerpt of ${target}, which no test runs (no file under test/ names it)`);
  }
  return problems;
}

/** The program blocks of the documentation, by name; a name used twice is reported by `duplicatePrograms`. */
export function programBlocks(root: string, files: readonly string[]): Map<string, DocBlock> {
  const out = new Map<string, DocBlock>();
  for (const file of files) {
    for (const block of codeBlocks(readFileSync(join(root, file), 'utf8'), file)) {
      if (block.marker?.kind === 'program' && !out.has(block.marker.value)) out.set(block.marker.value, block);
    }
  }
  return out;
}

export function duplicatePrograms(root: string, files: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const dup: string[] = [];
  for (const file of files) {
    for (const block of codeBlocks(readFileSync(join(root, file), 'utf8'), file)) {
      if (block.marker?.kind !== 'program') continue;
      const where = `${file}:${block.line}`;
      const first = seen.get(block.marker.value);
      if (first !== undefined) dup.push(`${where}: program ${block.marker.value} is already ${first}`);
      else seen.set(block.marker.value, where);
    }
  }
  return dup;
}

/** The PromQL expressions of a block: a promql block's text, or every `expr:` of a YAML block. */
export function promqlExpressions(block: DocBlock, parsedYaml?: unknown): string[] {
  if (block.lang === 'promql') return [block.body.trim()];
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'expr' && (typeof x === 'string' || typeof x === 'number')) out.push(String(x));
        else visit(x);
      }
    }
  };
  visit(parsedYaml);
  return out;
}

