import { readFileSync } from 'node:fs';

/** memscope's own version, read once from its package.json (one level above both src/ and dist/). */
export const MEMSCOPE_VERSION: string = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
