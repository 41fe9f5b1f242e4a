import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/child.js';
import { codeBlocks, documentedFiles, duplicatePrograms, markerProblems, programBlocks, promqlExpressions, type DocBlock } from '../helpers/doc-snippets.js';

// Every TypeScript, JavaScript and shell block of README.md and docs/ that shows memscope's use is either a complete
// program (`<!-- program: NAME -->`), run here against the packed tarball in a fresh directory, or a verbatim excerpt
// (`<!-- excerpt: path -->`) of a file a test runs — the programs of test/fixtures/doc-programs/ are run here too. YAML
// blocks parse; PromQL (promql blocks, one expression a line, and yaml `expr:`) passes `promtool check rules`.

// Written by another engineer with the same convention; it is checked here like the rest once it carries markers.
const NOT_MINE: readonly string[] = [];
const DOCS = documentedFiles(ROOT, NOT_MINE);
const FIXTURES = join(ROOT, 'test', 'fixtures', 'doc-programs');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

/** How a program is run in the fresh directory, and what it must do. */
interface Run {
  /** The command and its arguments; `FILE` stands for the program's file. Default: node FILE (with tsx for .ts). */
  readonly command?: readonly string[];
  /** Files (relative to the program's directory) written before it runs. */
  readonly given?: Readonly<Record<string, string>>;
  /** Exit status (default 0). */
  readonly exit?: number;
  /** stdout + stderr must match each. */
  readonly output?: readonly RegExp[];
  /** Files the program must have written. */
  readonly creates?: readonly string[];
  /** A directory outside the project the program writes to as documented: what it adds there is removed afterwards. */
  readonly writesTo?: string;
}
/** A documented program another test runs as written (it names the document it extracts the block from). */
interface RunElsewhere {
  readonly runBy: string;
}

/** The programs of the documentation, by marker name. */
const PROGRAMS: Readonly<Record<string, (Run & { readonly file: string }) | RunElsewhere>> = {
  'readme-server': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-project': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-orders': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-service': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-run-service': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-add-vitest': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-memory-test': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-run-tests': { runBy: 'test/integration/getting-started.test.ts' },
  'getting-started-report': { runBy: 'test/integration/getting-started.test.ts' },
  'readme-profiler': { file: 'profiler.ts', output: [/^parse: 1$/m] },
  'charts-timeline': { file: 'timeline.ts', creates: ['memory_usage_plot.png'] },
  'heap-snapshots-on-anomaly': { file: 'on-anomaly.ts' },
  'heap-snapshots-capture': { file: 'capture.ts', writesTo: '/var/tmp/heap' },
  'charts-cli': { file: 'charts.sh', command: ['sh', '-e', 'FILE'], creates: ['memory.png', 'it2.svg', 'compare.png', 'report.html', 'compare.html'] },
};

/** The programs of test/fixtures/doc-programs/ (the documentation shows excerpts of them), by file name. */
const FIXTURE_RUNS: Readonly<Record<string, Run>> = {
  'heap-budget.mjs': { output: [/^healthy: within budget; leaking: HeapBudgetError: PendingReply grew by \d+ objects/m] },
  'memory-tests-node-test.mjs': { output: [/^# pass 2$/m, /^# fail 0$/m] },
  'memory-tests-helper.mjs': { output: [/^# pass 1$/m, /^# fail 0$/m] },
  'memory-tests.vitest.test.mjs': { command: [process.execPath, VITEST, 'run', 'FILE'], output: [/Tests\s+2 passed \(2\)/] },
  'memory-tests.jest.test.mjs': {
    command: [process.execPath, '--experimental-vm-modules', '../node_modules/jest/bin/jest.js'],
    given: { 'jest.config.json': JSON.stringify({ setupFilesAfterEnv: ['memscope/testing/jest'], testMatch: ['**/*.test.mjs'], moduleFileExtensions: ['js', 'mjs'], transform: {} }) },
    output: [/Tests:\s+1 passed, 1 total/],
  },
};

const dir = mkdtempSync(join(tmpdir(), 'memscope-doc-snippets-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', npm_config_loglevel: 'error' } });
}

/** Runs one program in its own directory under the fresh project and checks what it must do. */
function runProgram(name: string, file: string, code: string, run: Run): void {
  const cwd = join(dir, 'app', name);
  mkdirSync(cwd, { recursive: true });
  for (const [path, text] of Object.entries(run.given ?? {})) {
    mkdirSync(join(cwd, path, '..'), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  writeFileSync(join(cwd, file), code);
  const command = (run.command ?? (file.endsWith('.ts') ? [process.execPath, '--import', TSX, 'FILE'] : [process.execPath, 'FILE'])).map((a) => (a === 'FILE' ? file : a));
  const bin = join(dir, 'app', 'node_modules', '.bin');
  const before = new Set(run.writesTo !== undefined && existsSync(run.writesTo) ? readdirSync(run.writesTo) : []);
  const result = spawnSync(command[0]!, command.slice(1), {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', FORCE_COLOR: '0', CI: '', PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (run.writesTo !== undefined && existsSync(run.writesTo)) {
    for (const f of readdirSync(run.writesTo)) if (!before.has(f)) rmSync(join(run.writesTo, f), { force: true });
  }
  expect(result.status, `${name}: ${command.join(' ')}\n${output}`).toBe(run.exit ?? 0);
  for (const pattern of run.output ?? []) expect(output, name).toMatch(pattern);
  for (const path of run.creates ?? []) expect(existsSync(join(cwd, path)), `${name} writes ${path}\n${output}`).toBe(true);
}

describe('documentation snippets', () => {
  it('mark every block that shows memscope: a program run here or an excerpt of a file a test runs', () => {
    expect([...DOCS.flatMap((f) => markerProblems(ROOT, f)), ...duplicatePrograms(ROOT, DOCS)]).toEqual([]);
  });

  it('have an expectation for every documented program and every doc program fixture, and none without one', () => {
    const blocks = programBlocks(ROOT, DOCS);
    const missing: string[] = [];
    for (const [name, block] of blocks) {
      const run = PROGRAMS[name];
      const doc = block.file.replace(/^docs\//, '');
      // A program another test runs: that test extracts the block from its document, so it names the document (and,
      // when it is not listed here, the program too — how a document's own test, like a guide's, is found).
      const runBy = run === undefined ? testsNaming(doc, `'${name}'`)[0] : 'runBy' in run ? run.runBy : undefined;
      if (run === undefined && runBy === undefined) missing.push(`${block.file}:${block.line}: program ${name} has no expectation here and no test names it`);
      if (runBy !== undefined && !readFileSync(join(ROOT, runBy), 'utf8').includes(doc)) missing.push(`${block.file}:${block.line}: ${runBy} does not name ${doc}`);
    }
    expect(missing).toEqual([]);
    expect(Object.keys(PROGRAMS).filter((name) => !blocks.has(name)), 'expectations without a program').toEqual([]);
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(FIXTURE_RUNS).sort());
  });

  it('parse as YAML, and pass promtool where they are Prometheus rules, configuration or PromQL', () => {
    const problems: string[] = [];
    const expressions: Array<{ where: string; expr: string }> = [];
    for (const file of DOCS) {
      for (const block of codeBlocks(readFileSync(join(ROOT, file), 'utf8'), file)) {
        const where = `${file}:${block.line}`;
        if (block.lang === 'yaml' || block.lang === 'yml') {
          const documents = parseAllDocuments(block.body);
          const errors = documents.flatMap((d) => d.errors.map((e) => e.message));
          if (errors.length > 0) {
            problems.push(`${where}: not YAML: ${errors.join('; ')}`);
            continue;
          }
          problems.push(...promtoolOnYaml(block, where));
          if (block.marker?.kind !== 'promql-fragment') {
            for (const d of documents) for (const expr of promqlExpressions(block, d.toJS())) expressions.push({ where, expr });
          }
        } else if (block.lang === 'promql' && block.marker?.kind !== 'promql-fragment') {
          // One expression a line: the runbook lists the series and expressions to look at, one per line.
          for (const expr of block.body.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))) expressions.push({ where, expr });
        }
      }
    }
    expect(expressions.length).toBeGreaterThan(0);
    problems.push(...checkExpressions(expressions));
    expect(problems).toEqual([]);
  });

  describe('run against the packed tarball in a fresh directory', () => {
    beforeAll(() => {
      const app = join(dir, 'app');
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'doc-programs', private: true, type: 'module' }));
      sh('npm', ['pack', '--pack-destination', dir], ROOT);
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
      sh('npm', ['install', '--no-audit', '--no-fund', join(dir, tarball)], app);
      // The test runners the programs are written for, as a user's project has them (the repository's own copies).
      for (const runner of ['vitest', 'jest']) symlinkSync(join(ROOT, 'node_modules', runner), join(app, 'node_modules', runner));
    }, 300_000);

    const blocks = programBlocks(ROOT, DOCS);
    for (const [name, run] of Object.entries(PROGRAMS)) {
      if ('runBy' in run) continue;
      it(`${name} (${blocks.get(name)?.file ?? 'no such block'}) runs as written`, { timeout: 300_000 }, () => {
        const block: DocBlock | undefined = blocks.get(name);
        expect(block, name).toBeDefined();
        runProgram(name, run.file, block!.body, run);
      });
    }
    for (const [file, run] of Object.entries(FIXTURE_RUNS)) {
      it(`test/fixtures/doc-programs/${file} runs`, { timeout: 300_000 }, () => {
        runProgram(file.replace(/\.\w+$/, ''), file, readFileSync(join(FIXTURES, file), 'utf8'), run);
      });
    }
  });
});

/** The test files (under test/) whose text contains every one of `strings`. */
function testsNaming(...strings: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(ROOT, rel), { withFileTypes: true })) {
      const path = join(rel, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.test\.ts$/.test(entry.name) && path !== 'test/integration/doc-snippets.test.ts') {
        const text = readFileSync(join(ROOT, path), 'utf8');
        if (strings.every((s) => text.includes(s))) out.push(path);
      }
    }
  };
  walk('test');
  return out;
}

/** promtool on a YAML block that is a complete rules file or Prometheus configuration. */
function promtoolOnYaml(block: DocBlock, where: string): string[] {
  const doc = parseAllDocuments(block.body)[0]?.toJS() as Record<string, unknown> | null | undefined;
  if (doc === null || typeof doc !== 'object') return [];
  const kind = Array.isArray(doc.groups) ? 'rules' : Array.isArray(doc.scrape_configs) ? 'config' : undefined;
  if (kind === undefined) return [];
  const file = join(dir, `yaml-${block.line}.yml`);
  writeFileSync(file, block.body);
  const result = spawnSync(PROMTOOL, ['check', kind, file], { encoding: 'utf8', timeout: 30_000 });
  if (result.error !== undefined) throw new Error(`promtool could not be run (${PROMTOOL}): ${result.error.message}`);
  return result.status === 0 ? [] : [`${where}: promtool check ${kind}: ${result.stdout}${result.stderr}`];
}

/**
 * Each expression as a recording rule of one rules file: `promtool check rules` parses every one. On a failure, one
 * file per expression names the ones that do not parse.
 */
function checkExpressions(expressions: ReadonlyArray<{ where: string; expr: string }>): string[] {
  const check = (list: ReadonlyArray<{ expr: string }>, name: string): string => {
    const file = join(dir, `${name}.yml`);
    const rules = list.map(({ expr }) => `      - record: doc:snippet:check\n        expr: ${JSON.stringify(expr)}\n`).join('');
    writeFileSync(file, `groups:\n  - name: doc\n    rules:\n${rules}`);
    const result = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
    if (result.error !== undefined) throw new Error(`promtool could not be run (${PROMTOOL}): ${result.error.message}`);
    return result.status === 0 ? '' : (result.stdout + result.stderr).trim();
  };
  if (check(expressions, 'promql-all') === '') return [];
  return expressions.flatMap(({ where, expr }, i) => {
    const failure = check([{ expr }], `promql-${i}`);
    return failure === '' ? [] : [`${where}: ${expr}: ${failure}`];
  });
}
