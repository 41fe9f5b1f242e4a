import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads the resident set size. `process.memoryUsage.rss()` opens, reads and closes /proc/self/stat on every call
 * (~2.6-7.6 us measured on Linux); reading /proc/self/statm through a descriptor kept open, at position 0 into a
 * preallocated buffer, costs ~0.7-1.4 us. Where /proc is missing (macOS, Windows) it falls back to Node's call.
 */
export interface RssReader {
  read: () => number;
  close: () => void;
}

const STATM_PATH = '/proc/self/statm';
const SPACE = 0x20;
const ZERO = 0x30;

export function createRssReader(statmPath: string = STATM_PATH): RssReader {
  let fd: number;
  try {
    fd = openSync(statmPath, 'r');
  } catch {
    return { read: () => process.memoryUsage.rss(), close: () => undefined };
  }
  const buffer = Buffer.alloc(256);
  const residentPages = (): number => {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    // statm: "size resident shared text lib data dt" in pages; the second field is the RSS.
    let i = 0;
    while (i < length && buffer[i] !== SPACE) i++;
    let pages = 0;
    for (i++; i < length; i++) {
      const c = buffer[i] ?? SPACE;
      if (c === SPACE) break;
      pages = pages * 10 + (c - ZERO);
    }
    return pages;
  };
  const pageSize = inferPageSize(residentPages());
  let closed = false;
  return {
    read: () => (closed ? process.memoryUsage.rss() : residentPages() * pageSize),
    close: () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/**
 * Node has no page-size API. The page size is the power of two that best maps statm's resident pages onto Node's own
 * RSS figure, read once (4 KiB on x86-64; 16 or 64 KiB on some arm64 kernels).
 */
function inferPageSize(pages: number): number {
  const rss = process.memoryUsage.rss();
  if (pages <= 0) return 4096;
  const exponent = Math.round(Math.log2(rss / pages));
  return exponent >= 12 && exponent <= 16 ? 2 ** exponent : 4096;
}
