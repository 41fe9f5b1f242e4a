import { describe, expect, it } from 'vitest';
import { mergeExpositions } from '../../src/exporter/merge-expositions.js';

const own = ['# HELP memscope_phase_duration_seconds d', '# TYPE memscope_phase_duration_seconds histogram', 'memscope_phase_duration_seconds_bucket{le="+Inf"} 1', 'memscope_phase_duration_seconds_sum 0.5', 'memscope_phase_duration_seconds_count 1', ''].join('\n');

describe('mergeExpositions', () => {
  it('keeps other families and drops those clashing with memscope, naming them', () => {
    const dropped: string[] = [];
    const other = ['# HELP bms_jobs_total j', '# TYPE bms_jobs_total counter', 'bms_jobs_total 3', '# HELP memscope_phase_duration_seconds x', '# TYPE memscope_phase_duration_seconds gauge', 'memscope_phase_duration_seconds 9'].join('\n');
    const out = mergeExpositions(own, [other], (n) => dropped.push(n));
    expect(out).toMatch(/^bms_jobs_total 3$/m);
    expect(out).not.toMatch(/^memscope_phase_duration_seconds 9$/m);
    expect(dropped).toEqual(['memscope_phase_duration_seconds']);
  });

  it('drops a family clashing with a histogram\'s sample names', () => {
    const dropped: string[] = [];
    const other = ['# HELP memscope_phase_duration_seconds_count c', '# TYPE memscope_phase_duration_seconds_count gauge', 'memscope_phase_duration_seconds_count 7'].join('\n');
    const out = mergeExpositions(own, [other], (n) => dropped.push(n));
    expect(out.match(/^memscope_phase_duration_seconds_count /gm)).toHaveLength(1);
    expect(dropped).toEqual(['memscope_phase_duration_seconds_count']);
  });

  it('keeps the first of two merged registries serving the same name', () => {
    const dropped: string[] = [];
    const a = ['# HELP http_requests_total a', '# TYPE http_requests_total counter', 'http_requests_total 1'].join('\n');
    const b = ['# HELP http_requests_total b', '# TYPE http_requests_total counter', 'http_requests_total 2', '# HELP up u', '# TYPE up gauge', 'up 1'].join('\n');
    const out = mergeExpositions(own, [a, b], (n) => dropped.push(n));
    expect(out.match(/^# TYPE http_requests_total /gm)).toHaveLength(1);
    expect(out).toMatch(/^http_requests_total 1$/m);
    expect(out).toMatch(/^up 1$/m);
    expect(dropped).toEqual(['http_requests_total']);
  });
});
