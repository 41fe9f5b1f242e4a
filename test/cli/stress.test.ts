import { describe, expect, it } from 'vitest';
import { CLI, runNode } from '../helpers/child.js';

const memscope = (...args: string[]) => runNode([CLI, ...args]).done;

// The options are refused before anything starts: no service, no load.
describe('memscope stress (options)', () => {
  it('lists the scenarios of the shared profiles and the target forms in --help', async () => {
    const { code, stdout } = await memscope('stress', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: memscope stress \[options\] \[command\.\.\.\]/);
    // Commander wraps the help to the terminal's width: compared with the line breaks taken out.
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).toContain('"smoke", "average", "stress", "spike", "soak", "leak-hunt"');
    for (const flag of ['--target <url>', '--out <dir>', '--duration <seconds>', '--inject-leak <rate>', '--no-stop-on-leak', '(default: 1GiB)', '(default: 80%)']) expect(help).toContain(flag);
  });

  it('refuses an unknown scenario and a target that is not an http URL (exit 2)', async () => {
    const scenario = await memscope('stress', '--scenario', 'marathon');
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toMatch(/Allowed choices are smoke, average, stress, spike, soak, leak-hunt/);
    const target = await memscope('stress', '--target', 'localhost:3000');
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('MEMSCOPE_E_INVALID_OPTION: --target must be an http:// or https:// URL');
  });

  it("refuses the example's fault injection with another target, and --metrics without --target", async () => {
    const fault = await memscope('stress', '--target', 'http://127.0.0.1:9', '--inject-leak', '1MiB/s');
    expect(fault.code).toBe(2);
    expect(fault.stderr).toContain('MEMSCOPE_E_USAGE: fault injection (--inject-*) applies to the example service only');
    const metrics = await memscope('stress', '--metrics', 'http://127.0.0.1:9/metrics');
    expect(metrics.code).toBe(2);
    expect(metrics.stderr).toContain('--metrics goes with --target alone');
  });

  it('says MEMSCOPE_E_TARGET (exit 14) when the target does not answer', async () => {
    const { code, stderr } = await memscope('stress', '--target', 'http://127.0.0.1:9', '--start-timeout', '1000', '--out', '/tmp/memscope-stress-never');
    expect(code).toBe(14);
    expect(stderr).toMatch(/MEMSCOPE_E_TARGET: http:\/\/127\.0\.0\.1:9 does not answer/);
  });
});
