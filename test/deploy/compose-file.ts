import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/child.js';

/** compose.yaml as Compose reads it: YAML with merge keys (`<<: *healthcheck`), then interpolated. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  user?: string;
  container_name?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export const COMPOSE_TEXT = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');

/** The file as written, `${VAR:-default}` and all. */
export const RAW = parse(COMPOSE_TEXT, { merge: true }) as ComposeFile;

/** Interpolated with an empty environment: what `docker compose up` runs when nothing is set. */
export const COMPOSE = interpolate(RAW, {}) as ComposeFile;

/**
 * Compose's interpolation (compose-spec, "Interpolation"): `$$` is a literal `$`; `${VAR}`, `$VAR`; `${VAR:-d}` and
 * `${VAR-d}` (default when unset or empty / when unset); `${VAR:?e}`, `${VAR?e}` (error); `${VAR:+r}`, `${VAR+r}`.
 */
export function interpolate(node: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof node === 'string') return interpolateString(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolate(n, env));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return node;
}

function interpolateString(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(REFERENCE, (match, braced?: string, op?: string, arg?: string, plain?: string) => {
    if (match === '$$') return '$';
    const name = braced ?? plain ?? '';
    const value = env[name];
    const unset = value === undefined;
    const emptyOrUnset = unset || value === '';
    switch (op) {
      case undefined:
        return value ?? '';
      case ':-':
        return emptyOrUnset ? (arg ?? '') : value;
      case '-':
        return unset ? (arg ?? '') : value;
      case ':?':
      case '?':
        if (op === ':?' ? emptyOrUnset : unset) throw new Error(`required variable ${name} is missing: ${arg ?? ''}`);
        return value ?? '';
      case ':+':
        return emptyOrUnset ? '' : (arg ?? '');
      default:
        return unset ? '' : (arg ?? '');
    }
  });
}

/** A short-syntax volume `source:target[:mode]`: a bind mount when the source is a path. */
export function bindMounts(service: ComposeService): Array<{ source: string; target: string; readOnly: boolean }> {
  return (service.volumes ?? []).flatMap((volume) => {
    const [source = '', target = '', mode] = volume.split(':');
    return source.startsWith('.') || source.startsWith('/') ? [{ source, target, readOnly: mode === 'ro' }] : [];
  });
}
