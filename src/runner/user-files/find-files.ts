import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MemscopeError } from '../../internal/errors.js';

/** The files `memscope test` runs when given none, found from the current directory (as vitest finds its tests). */
export const DEFAULT_MEMORY_TEST_GLOB = '**/*.memory.{js,mjs,cjs,ts,mts,cts}';

/** Directories never searched: dependencies, version control and tool caches, and build output beside its sources. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'coverage']);
/** A walk stops here with an error rather than searching a home directory for minutes. */
const MAX_ENTRIES = 200_000;

/**
 * The files the arguments name, sorted and without duplicates: a path to a file is taken as it is (whatever its name);
 * a directory is searched for the default pattern's names; anything else is a glob (`*`, `**`, `?`, `{a,b}`), walked
 * from its leading fixed segments (see globBase). Throws MEMSCOPE_E_TEST_FILE when an argument matches nothing.
 */
export async function findMemoryFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const path = resolve(cwd, pattern);
    const info = isGlob(pattern) ? undefined : await stat(path).catch(() => undefined);
    let matches: string[];
    if (info?.isFile() === true) matches = [path];
    else if (info?.isDirectory() === true) matches = await walk(path, globRegExp(DEFAULT_MEMORY_TEST_GLOB), path);
    else if (isGlob(pattern)) {
      const { base, rest } = globBase(pattern, cwd);
      matches = await walk(base, globRegExp(rest), base);
    }
    else throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${pattern}: no such file or directory (from ${cwd})`);
    if (matches.length === 0) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `no file matches ${pattern} under ${info === undefined ? cwd : path} (${DEFAULT_MEMORY_TEST_GLOB} in a directory; node_modules, dist and coverage are not searched)`);
    for (const m of matches) found.add(m);
  }
  return [...found].sort();
}

/** The default pattern's files under `cwd` (none is no error: the caller decides what an empty project means). */
export function findDefaultMemoryFiles(cwd: string): Promise<string[]> {
  return walk(cwd, globRegExp(DEFAULT_MEMORY_TEST_GLOB), cwd);
}

/**
 * Where a glob's walk starts: its leading segments without a wildcard, resolved against `cwd` (so `../x/*.js`,
 * `/abs/dir/**` and `tests/*.js` walk only `../x`, `/abs/dir` and `tests`), and the rest of the pattern.
 */
export function globBase(pattern: string, cwd: string): { base: string; rest: string } {
  const segments = pattern.split(sep).join('/').split('/');
  const fixed: string[] = [];
  while (segments.length > 1 && !isGlob(segments[0] ?? '')) fixed.push(segments.shift() ?? '');
  const prefix = fixed.join('/');
  return { base: isAbsolute(pattern) ? resolve('/', prefix) : resolve(cwd, prefix), rest: segments.join('/') };
}

function isGlob(pattern: string): boolean {
  return /[*?{[]/.test(pattern);
}

/** A glob as a regular expression on `/`-separated relative paths: `**` any directories, `*` and `?` within a name. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  let braces = 0;
  const g = glob.split(sep).join('/').replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i] ?? '';
    if (c === '*' && g[i + 1] === '*') {
      const slash = g[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  if (braces > 0) throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `the pattern ${glob} opens a { it does not close`);
  return new RegExp(`^${out}$`, 'u');
}

async function walk(root: string, pattern: RegExp, base: string): Promise<string[]> {
  const out: string[] = [];
  let seen = 0;
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `more than ${MAX_ENTRIES.toLocaleString('en-US')} entries under ${root}: name the files or a directory of tests`);
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) await visit(path);
        continue;
      }
      if (!pattern.test(relative(base, path).split(sep).join('/'))) continue;
      // A link to a file is followed (a test file shared between packages); links to directories are not (no loops).
      if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile() === true)) out.push(path);
    }
  };
  await visit(root);
  return out.sort();
}
