import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFor } from '../../load-tests/lib/k6-options.js';
import { bundleK6Scenarios } from '../../scripts/k6-bundle.js';
import * as definitions from '../../src/stress/load-profiles.js';
import { LOAD_PROFILE_NAMES, LOAD_PROFILES, scaleProfile, type LoadProfile } from '../../src/stress/load-profiles.js';
import { ROOT } from '../helpers/child.js';
import { inspectK6, RUN_K6_TESTS, writeBundles, type K6InspectedOptions } from '../helpers/k6.js';

// The k6 scenarios as k6 runs them: bundled by esbuild (scripts/k6-bundle.ts) and read by a real k6 (`k6 inspect`),
// compared with what Node reads from the same definitions in src/stress/ — the module `memscope stress` uses.

/** What k6 makes of the options optionsFor() returns: the fields the tests compare. */
function expectedByK6(profile: LoadProfile, testId: string): K6InspectedOptions {
  const options = optionsFor(profile, { testId });
  return { scenarios: options.scenarios, thresholds: options.thresholds, tags: options.tags ?? null };
}

/** Seconds in a duration as k6 writes it back (Go's `1h0m0s`, `5m0s`, `44s`) or as the scripts give it (`300s`). */
function seconds(duration: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(duration);
  if (m === null || duration === '') throw new Error(`not a duration: ${duration}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * The fields compared, in one form: stage durations in seconds (k6 writes `300s` back as `5m0s`), and a threshold
 * whose abortOnFail is false as its bare expression (as k6 writes it back: delayAbortEval only matters when aborting).
 */
function comparable(options: K6InspectedOptions): unknown {
  const scenarios = Object.fromEntries(
    Object.entries(options.scenarios ?? {}).map(([name, s]) => [
      name,
      { executor: s.executor, stages: s.stages?.map((stage) => ({ seconds: seconds(stage.duration), target: stage.target })), tags: s.tags },
    ]),
  );
  const bare = (t: unknown): unknown => (typeof t === 'object' && t !== null && (t as { abortOnFail?: boolean }).abortOnFail !== true ? (t as { threshold: string }).threshold : t);
  const thresholds = Object.fromEntries(Object.entries(options.thresholds ?? {}).map(([metric, list]) => [metric, list.map(bare)]));
  return { scenarios, thresholds, tags: options.tags };
}

describe('bundleK6Scenarios (scripts/k6-bundle.ts)', () => {
  const bundles = bundleK6Scenarios();

  it('bundles one script per load profile, marked as generated', () => {
    expect(bundles.map((b) => b.file)).toEqual(LOAD_PROFILE_NAMES.map((name) => `${name}.js`));
    for (const b of bundles) expect(b.text.split('\n')[0]).toBe(`// generated from load-tests/${b.profile}.ts by scripts/k6-bundle.ts (npm run build:k6) — do not edit`);
  });

  it('inlines the shared lib and src/stress, leaving only k6 modules to require, in syntax k6 v0.48 runs without Babel', () => {
    for (const { profile, text } of bundles) {
      const imports = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(imports.length, profile).toBeGreaterThan(0);
      for (const spec of imports) expect(spec, profile).toMatch(/^k6(\/|$)/);
      expect(text, profile).toContain('var LOAD_PROFILES = {');
      expect(text, profile).not.toMatch(/^(import|export) /m);
      // ES2018+ syntax that k6 v0.48 rejects: object spread and rest, `??`, `?.`.
      expect(text, profile).not.toMatch(/\{\s*\.\.\.|\?\?|\?\./);
    }
  });

  it('is deterministic: the same sources give the same bytes', () => {
    expect(bundleK6Scenarios({ profiles: ['smoke'] })[0]?.text).toBe(bundles[0]?.text);
  });
});

describe('the published definitions (dist/stress/load-profiles.js)', () => {
  it('are the ones the scripts bundle: the package ships them for `memscope stress`', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/stress/load-profiles.js')).href)) as typeof definitions;
    expect(built.LOAD_PROFILES).toEqual(LOAD_PROFILES);
    expect(built.REQUEST_MIX).toEqual(definitions.REQUEST_MIX);
  });
});

describe.runIf(RUN_K6_TESTS)('the bundled scenarios under a real k6 (k6 inspect)', () => {
  let dir = '';
  beforeAll(() => {
    dir = writeBundles();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('carry the stages, thresholds and tags Node derives from the same profile, for every scenario', { timeout: 60_000 }, async () => {
    for (const name of LOAD_PROFILE_NAMES) {
      const inspected = await inspectK6(join(dir, `${name}.js`), { TESTID: `t-${name}` });
      expect(comparable(inspected), name).toEqual(comparable(expectedByK6(LOAD_PROFILES[name], `t-${name}`)));
    }
  });

  it('shorten every stage by DURATION_SCALE, as scaleProfile() does in Node', { timeout: 30_000 }, async () => {
    const inspected = await inspectK6(join(dir, 'soak.js'), { TESTID: 'x', DURATION_SCALE: '0.005' });
    expect(comparable(inspected)).toEqual(comparable(expectedByK6(scaleProfile(LOAD_PROFILES.soak, 0.005), 'x')));
    expect(inspected.scenarios?.soak?.stages?.map((s) => seconds(s.duration))).toEqual([1, 18, 1]);
  });

  it('default the testid tag to the profile and the start time, and refuse a DURATION_SCALE that is not a number', { timeout: 30_000 }, async () => {
    const inspected = await inspectK6(join(dir, 'spike.js'));
    expect(inspected.tags?.testid).toMatch(/^spike-\d{8}T\d{6}Z$/);
    await expect(inspectK6(join(dir, 'spike.js'), { DURATION_SCALE: 'fast' })).rejects.toThrow(/DURATION_SCALE must be a number > 0, got \\?"fast\\?"/);
  });
});

describe.runIf(RUN_K6_TESTS)('changing a definition in src/stress/', () => {
  // A copy of the two directories a bundle is made of, with one profile edited as a developer would edit it.
  let copy = '';
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'memscope-k6-definitions-'));
    for (const part of ['load-tests', 'src/stress']) cpSync(join(ROOT, part), join(copy, part), { recursive: true, filter: (p) => !p.includes('/dist') });
    const file = join(copy, 'src/stress/load-profiles.ts');
    const source = readFileSync(file, 'utf8');
    const edited = source
      .replace("thresholds: { ...NORMAL, httpReqDurationP95Ms: 500, httpReqDurationP99Ms: 1000, jobTurnaroundP95Ms: 2000 }", "thresholds: { ...NORMAL, httpReqDurationP95Ms: 432, httpReqDurationP99Ms: 1000, jobTurnaroundP95Ms: 2000 }")
      .replace('{ durationSeconds: 40, targetVUs: 2 }', '{ durationSeconds: 44, targetVUs: 3 }');
    expect(edited).not.toBe(source);
    writeFileSync(file, edited);
  });
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('changes both what k6 runs and what a Node reader (the local runner) sees', { timeout: 60_000 }, async () => {
    const dir = writeBundles({ root: copy, profiles: ['smoke'] });
    try {
      const k6 = await inspectK6(join(dir, 'smoke.js'), { TESTID: 'x' });
      const node = (await import(pathToFileURL(join(copy, 'src/stress/load-profiles.ts')).href)) as typeof definitions;

      expect(node.LOAD_PROFILES.smoke.thresholds.httpReqDurationP95Ms).toBe(432);
      expect(node.LOAD_PROFILES.smoke.stages[1]).toEqual({ durationSeconds: 44, targetVUs: 3 });
      expect(k6.thresholds?.http_req_duration).toEqual(['p(95)<432', 'p(99)<1000']);
      expect(k6.scenarios?.smoke?.stages?.[1]).toEqual({ duration: '44s', target: 3 });
      expect(seconds('1h2m3s')).toBe(3723);
      expect(comparable(k6)).toEqual(comparable(expectedByK6(node.LOAD_PROFILES.smoke, 'x')));

      // ... and the unedited repository still says 500 and 40 s in both.
      expect(LOAD_PROFILES.smoke.thresholds.httpReqDurationP95Ms).toBe(500);
      const original = await inspectK6(join(writeBundles({ profiles: ['smoke'] }), 'smoke.js'), { TESTID: 'x' });
      expect(original.thresholds?.http_req_duration).toEqual(['p(95)<500', 'p(99)<1000']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
