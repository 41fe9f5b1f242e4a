// The `--require` flavour of `memscope/register` (`node --require memscope/register app.js`, or both flags). Node runs
// --require preloads in every worker thread too, which is how worker threads report their own heaps. memscope is ESM,
// so this starts it with import(): in the main thread a moment after the program's first line (the --import flavour,
// when loaded too, waits for it and the program then starts after memscope); in a worker, before the worker's code
// has done much. Never throws into the program.
void import('./preload.js').then((m) => m.startPreload()).catch(() => undefined);
