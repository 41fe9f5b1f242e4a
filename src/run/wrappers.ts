import { basename, relative, isAbsolute } from 'node:path';

/**
 * Node.js programs that only start other programs: package managers, `npx`, the `tsx` CLI (which starts Node again
 * with its loader), process managers. They are Node processes too — `memscope/register` runs in them and they get a
 * report — but a run's verdict is never about them while another process did work, and they never own
 * `--metrics-port`. Matched on the script's path (`process.argv[1]`), as installed by npm, corepack or a global install.
 */
const WRAPPERS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'npm', pattern: /(^|[\\/])npm(-cli\.js)?$/ },
  { name: 'npx', pattern: /(^|[\\/])npx(-cli\.js)?$/ },
  { name: 'yarn', pattern: /(^|[\\/])yarn(pkg)?(\.c?js)?$|[\\/]yarn-[\d.]+[^\\/]*\.c?js$/ },
  { name: 'pnpm', pattern: /(^|[\\/])pnp[mx](\.c?js|\.mjs)?$/ },
  { name: 'corepack', pattern: /(^|[\\/])corepack(\.c?js)?$/ },
  { name: 'tsx', pattern: /(^|[\\/])tsx$|[\\/]tsx[\\/]dist[\\/]cli\.m?js$/ },
  { name: 'nodemon', pattern: /(^|[\\/])nodemon(\.js)?$|[\\/]nodemon[\\/]bin[\\/]nodemon\.js$/ },
  { name: 'concurrently', pattern: /(^|[\\/])concurrently(\.js)?$|[\\/]concurrently[\\/]dist[\\/]bin[\\/]concurrently\.js$/ },
  { name: 'npm-run-all', pattern: /(^|[\\/])(npm-run-all2?|run-[ps])(\.js)?$|[\\/]npm-run-all2?[\\/]bin[\\/]/ },
];

/** The wrapper a process is, from its script path (and that path resolved through symlinks), or null. */
export function knownWrapper(scriptPaths: ReadonlyArray<string | undefined>): string | null {
  for (const path of scriptPaths) {
    if (path === undefined || path === '') continue;
    const found = WRAPPERS.find((w) => w.pattern.test(path));
    if (found !== undefined) return found.name;
  }
  return null;
}

/**
 * The command line as people read it: `node server.js --port 8080` — the executable by its name, a script inside the
 * working directory relative to it, arguments as given (quoted when they hold spaces).
 */
export function commandLine(argv: readonly string[], execArgv: readonly string[], cwd: string): string {
  const [exe, script, ...rest] = argv;
  const parts = [exe === undefined ? 'node' : basename(exe), ...execArgv];
  if (script !== undefined) {
    const rel = isAbsolute(script) ? relative(cwd, script) : script;
    parts.push(rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script);
  }
  parts.push(...rest);
  return parts.map((p) => (/[\s"']/.test(p) ? JSON.stringify(p) : p)).join(' ');
}
