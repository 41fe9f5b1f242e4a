// `memscope/register`: memscope without code changes — `node --import memscope/register server.js`, configured by
// MEMSCOPE_* and OTEL_* variables (docs/run.md). Awaited at the top level, so memscope runs before the program's first
// line and a program that calls startMemscope() gets this instance. Never throws: a bad variable warns once and
// leaves memscope off. Worker threads need the `--require` flavour too (Node runs --import preloads only in the main
// thread): `memscope run` sets both.
import { startPreload } from './run/preload.js';

await startPreload();
