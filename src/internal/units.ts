import { invalidOption } from './errors.js';

/**
 * Byte sizes on the command line and in options. Both families are accepted with their standard meanings:
 * SI (kB/KB = 1000, MB = 1000^2, GB = 1000^3) and IEC (KiB = 1024, MiB = 1024^2, GiB = 1024^3). A bare number is bytes.
 */
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/** Parses `'64KiB'`, `'50 MB'`, `'1.5GiB'` or a number of bytes. Throws MEMSCOPE_E_INVALID_OPTION naming `field`. */
export function parseBytes(field: string, input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw invalidOption(field, 'a size of zero or more bytes', input);
    return input;
  }
  const match = SIZE_PATTERN.exec(input);
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase() || 'b'];
  const bytes = match === null || unit === undefined ? Number.NaN : Math.round(Number(match[1]) * unit);
  // A string of 400 digits matches the pattern but is Infinity as a number: not a size.
  if (!Number.isFinite(bytes)) {
    throw invalidOption(field, 'a size such as 512KiB, 64 MB or 1GiB (KB/MB/GB = 1000^n, KiB/MiB/GiB = 1024^n)', input);
  }
  return bytes;
}

/** Parses a rate such as `'1MiB/s'` or `'256KB/s'` into bytes per second. */
export function parseByteRate(field: string, input: string): number {
  const match = /^(.*)\/s$/i.exec(input.trim());
  if (match === null) throw invalidOption(field, 'a rate such as 1MiB/s or 256KB/s', input);
  return parseBytes(field, match[1] ?? '');
}

/** Parses `'10%'` or `'10'` into a fraction (0.1). */
export function parsePercent(field: string, input: string | number): number {
  const text = String(input).trim().replace(/%$/, '');
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(field, 'a percentage such as 10%', input);
  }
  return value / 100;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Formats bytes with binary units: 1536 -> '1.50 KiB'. Negative values keep their sign. */
export function formatBytes(bytes: number, digits = 2): string {
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${unit === 0 ? value.toFixed(0) : value.toFixed(digits)} ${BINARY_UNITS[unit]}`;
}

/**
 * A size limit as memscope prints it: in IEC units, always; the user's own spelling beside it when it says something
 * else (`1.91 MiB (2 MB)`: inputs accept SI units, 1000ⁿ, and are echoed back in IEC).
 */
export function formatLimit(given: unknown, bytes: number): string {
  if (typeof given !== 'string') return formatBytes(bytes);
  const spelled = given.trim().replace(/\s+/g, ' ');
  // Already in IEC units (or plain bytes): the user's own words are the clearest label.
  if (/^[\d.]+ ?(B|KiB|MiB|GiB|TiB)$/.test(spelled)) return spelled;
  return `${formatBytes(bytes)} (${spelled})`;
}

export const MIB = 1024 * 1024;
