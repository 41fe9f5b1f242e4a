// The memscope build under test. Shapes import memscope from here instead of from 'memscope' so that the benchmark can
// judge any build — this worktree's dist/ by default, another one with MEMSCOPE_DIST=/path/to/dist — without a loader
// hook in the measured process (a hook would add a thread and memory of its own). What is imported and how it is
// used is exactly what README.md's "Add memscope to a service" shows.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = resolve(process.env.MEMSCOPE_DIST ?? new URL('../../../../dist', import.meta.url).pathname);

/** @type {typeof import('../../../../dist/index.js')} */
const memscope = await import(pathToFileURL(resolve(dist, 'index.js')).href);

export const { startMemscope } = memscope;
