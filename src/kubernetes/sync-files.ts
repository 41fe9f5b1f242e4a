import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATED_MARKER, renderManifestFile, type ManifestFile } from './manifests.js';

export interface SyncResult {
  /** Paths relative to the directory: written (or, with `check`, that would be). */
  changed: string[];
  missing: string[];
  /** Generated files no longer generated: removed (or, with `check`, that would be). Hand-made files stay. */
  leftOver: string[];
}

/**
 * Makes `dir` hold exactly the generated files, or with `check` only reports how it differs. Only files that start
 * with the generated marker are ever removed.
 */
export function syncManifestFiles(files: readonly ManifestFile[], dir: string, options: { check: boolean }): SyncResult {
  const result: SyncResult = { changed: [], missing: [], leftOver: [] };
  const wanted = new Set(files.map((f) => f.path));
  for (const file of files) {
    const path = join(dir, file.path);
    const text = renderManifestFile(file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    (current === undefined ? result.missing : result.changed).push(file.path);
    if (options.check) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  for (const sub of new Set(files.map((f) => dirname(f.path)))) {
    const abs = join(dir, sub);
    for (const name of existsSync(abs) ? readdirSync(abs).sort() : []) {
      const rel = join(sub, name);
      if (!name.endsWith('.yaml') || wanted.has(rel) || !readFileSync(join(abs, name), 'utf8').startsWith(GENERATED_MARKER)) continue;
      result.leftOver.push(rel);
      if (!options.check) rmSync(join(abs, name));
    }
  }
  return result;
}
