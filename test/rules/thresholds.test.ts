import { describe, expect, it } from 'vitest';
import { PRODUCTION, PROFILES, TEST, durationSeconds, validateThresholds, type Thresholds } from '../../src/monitoring/thresholds.js';
import { ruleFilesOf } from '../../src/monitoring/render-rules.js';

const tweak = (patch: (t: Thresholds) => void): Thresholds => {
  const t = structuredClone(PRODUCTION);
  patch(t);
  return t;
};

describe('thresholds', () => {
  it('validates both profiles as shipped', () => {
    expect(validateThresholds(PRODUCTION)).toBe(PRODUCTION);
    expect(validateThresholds(TEST)).toBe(TEST);
    expect(Object.keys(PROFILES)).toEqual(['production', 'test']);
  });

  it('keeps the test profile at the production levels, with shorter windows', () => {
    expect(TEST.heapNearLimit.critical.ratio).toBe(PRODUCTION.heapNearLimit.critical.ratio);
    expect(TEST.leak.minGrowthBytesPerSecond).toBe(PRODUCTION.leak.minGrowthBytesPerSecond);
    expect(durationSeconds(TEST.leak.warmUp) + durationSeconds(TEST.leak.for)).toBeLessThanOrEqual(120);
    expect(durationSeconds(TEST.leak.derivWindow)).toBeLessThan(durationSeconds(PRODUCTION.leak.derivWindow));
  });

  it('converts Prometheus durations to seconds and rejects anything else', () => {
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('30m')).toBe(1800);
    expect(durationSeconds('1h')).toBe(3600);
    expect(durationSeconds('2d')).toBe(172_800);
    expect(() => durationSeconds('1.5m')).toThrow(/invalid duration "1.5m"/);
    expect(() => durationSeconds('5' as never)).toThrow(/invalid duration/);
  });

  it('rejects contradictory or out-of-range numbers, naming the field', () => {
    expect(() => validateThresholds(tweak((t) => { t.heapNearLimit.warning.ratio = 0.97; }))).toThrow(
      'production.heapNearLimit.warning.ratio (0.97) must be below critical.ratio (0.95)',
    );
    expect(() => validateThresholds(tweak((t) => { t.rssNearContainerLimit.critical.ratio = 1.5; }))).toThrow(
      'production.rssNearContainerLimit.critical.ratio must be in (0, 1], got 1.5',
    );
    expect(() => validateThresholds(tweak((t) => { t.leak.warmUp = '10m'; }))).toThrow(/leak.warmUp \(10m\) must be at least leak.derivWindow \(30m\)/);
    expect(() => validateThresholds(tweak((t) => { t.leak.minGrowthBytesPerSecond = 0; }))).toThrow(/leak.minGrowthBytesPerSecond must be > 0/);
    expect(() => validateThresholds(tweak((t) => { t.gcPressure.for = '5 m'; }))).toThrow(/production.gcPressure.for: invalid duration/);
    expect(() => validateThresholds(tweak((t) => { t.phaseDeltaJump.factor = 1; }))).toThrow(/phaseDeltaJump.factor must be > 1/);
    expect(() => validateThresholds(tweak((t) => { t.restarts.maxRestarts = 1.5; }))).toThrow(/restarts.maxRestarts must be a whole number/);
    expect(() => validateThresholds(tweak((t) => { t.serviceJob = 'bms"} or vector(1'; }))).toThrow(/serviceJob is not a job name/);
  });

  it('renders every threshold into the rules (changing one changes the output)', () => {
    const alerts = ruleFilesOf('production')[1]!.text;
    expect(alerts).toContain('instance:memscope_heap_used_ratio:limit > 0.85');
    expect(alerts).toContain('> 1800)');
    expect(alerts).toContain(`> ${PRODUCTION.phaseDeltaJump.minBytes}`);
    expect(alerts).toContain(`up{job="${PRODUCTION.serviceJob}"} == 0`);
  });
});
