import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/child.js';

describe('runtime', () => {
  // npm test runs the unit project twice: on this machine's Node and on Node 24 (the current LTS), setting
  // MEMSCOPE_EXPECT_NODE_MAJOR so that a run silently falling back to the wrong binary fails instead of passing.
  it('runs on the Node major the test command asked for', () => {
    const expected = process.env.MEMSCOPE_EXPECT_NODE_MAJOR ?? process.versions.node.split('.')[0];
    expect(process.versions.node.split('.')[0]).toBe(expected);
  });

  it('is a Node version package.json supports', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
    const min = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node)!;
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > Number(min[1]) || (major === Number(min[1]) && minor >= Number(min[2]))).toBe(true);
  });
});
