// Found looking for the next of issue 6/11 item 1's kind — bodies that cost far more than their size. Before: 9 MB of
// blank CSV lines became 9 million row objects (2.1 GB of heap, 27 s of blocked event loop) and crashed the service
// even in the container's 256 MB heap; 9 MB of `{"points":[{},{},…]}` or of ignored `[[],[],…]` built 190 MB of
// objects before anything was checked; a row of 9 million commas, a 141 MB array. Run here in a 128 MB heap (half the
// container's), the first three crashed the service; now each body costs a few MB.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runNode, type ChildRun } from '../helpers/child.js';

let run: ChildRun;
let url: string;
// A fresh service per body: each shape on its own.
beforeEach(async () => {
  run = runNode([CLI, 'serve', '--port', '0'], { env: { NODE_OPTIONS: '--max-old-space-size=128' } });
  url = (await run.waitForLine(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
});
afterEach(async () => {
  run.child.kill('SIGKILL');
  await run.done;
});

async function post(body: string, type: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': type }, body: Buffer.from(body) });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: json.error?.code };
}

describe('hostile bodies in a 256 MB heap', () => {
  const cases: Array<[string, () => string, string, number, string?]> = [
    ['9 MB of blank CSV lines after one point', () => `name,value\nSITE1.AHU-01.SA-T,12\n${'\n'.repeat(9_000_000)}`, 'text/csv', 202],
    ['a CSV row of 9 million commas', () => `name\n${','.repeat(9_000_000)}\n`, 'text/csv', 400, 'validation_failed'],
    ['9 MB of empty JSON points', () => `{"points":[${'{},'.repeat(3_000_000)}{}]}`, 'application/json', 413, 'too_many_points'],
    ['9 MB of JSON members nobody asked for', () => `{"points":[{"name":"SITE1.AHU-01.SA-T"}],"x":[${'[],'.repeat(3_000_000)}[]]}`, 'application/json', 202],
  ];
  for (const [what, body, type, status, code] of cases) {
    it(`answers ${status}${code === undefined ? '' : ` ${code}`} to ${what}, and keeps serving`, async () => {
      const answer = await post(body(), type);
      expect(answer.status).toBe(status);
      if (code !== undefined) expect(answer.code).toBe(code);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(run.child.exitCode).toBeNull();
      expect(run.stderr()).not.toMatch(/heap out of memory/i);
    });
  }
});
