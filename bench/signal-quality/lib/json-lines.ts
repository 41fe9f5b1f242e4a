// JSON Lines files appended one object at a time: a kill can cut the last line short; readers skip such a line, and
// the next append starts on a line of its own so that it is not lost with it.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The values of a JSON Lines text (not validated: callers check what they need); lines that do not parse are counted. */
export function parseJsonLines(text: string): { items: unknown[]; skipped: number } {
  const items: unknown[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      skipped++;
    }
  }
  return { items, skipped };
}

/** The objects of a JSON Lines file (none when it does not exist), cast to what the caller stored there. */
export function readJsonLines<T extends object>(file: string): T[] {
  const items = existsSync(file) ? parseJsonLines(readText(file)).items : [];
  return items.filter((item): item is T => typeof item === 'object' && item !== null);
}

/** A file's text; `.gz` files (a committed baseline, compressed) are gunzipped. */
export function readText(file: string): string {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function appendJsonLine(file: string, value: unknown): void {
  if (file.endsWith('.gz')) throw new Error(`${file}: results are appended to plain .jsonl files (gzip a finished one to commit it)`);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${endsWithNewline(file) ? '' : '\n'}${JSON.stringify(value)}\n`);
}

function endsWithNewline(file: string): boolean {
  if (!existsSync(file)) return true;
  const size = statSync(file).size;
  if (size === 0) return true;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
