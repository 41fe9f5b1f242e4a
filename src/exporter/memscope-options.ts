import { constants } from 'node:os';
import { MemscopeError, invalidOption } from '../internal/errors.js';
import { objectOption, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
import { PROFILER_OPTION_KEYS, profilerNestedKeys, resolveProfilerOptions, type MemoryProfilerOptions } from '../sdk/profiler-options.js';
import { bearerTokenOption, pathOption } from './handler-options.js';
import { resolveServerOptions, SERVER_OPTION_KEYS, type ResolvedServerOptions } from './metrics-server.js';
import { OTLP_OPTION_KEYS, resolveOtlpOptions } from './otlp.js';
import type { MemscopeOptions } from './start-memscope.js';

/** The keys startMemscope() adds to the profiler's (which it takes all of but `meter`: memscope owns the Meter). */
const OWN_KEYS = optionKeys<Omit<MemscopeOptions, keyof MemoryProfilerOptions>>()([
  'serviceName', 'resourceAttributes', 'server', 'bearerToken', 'registries', 'collectTimeoutMs', 'otlp', 'shutdownSignals',
]);
/** The profiler keys startMemscope() sets itself: it owns the MeterProvider and the phase metric producer. */
const OWNED_PROFILER_KEYS: readonly string[] = ['meter', 'phaseMetrics'];
export const MEMSCOPE_OPTION_KEYS: readonly string[] = [...PROFILER_OPTION_KEYS.filter((k) => !OWNED_PROFILER_KEYS.includes(k)), ...OWN_KEYS];
const SERVER_KEYS = [...SERVER_OPTION_KEYS, 'bearerToken', 'path'];

export interface ResolvedMemscopeOptions {
  /** What the MemoryProfiler is given (memscope's own keys taken out). */
  profiler: Omit<MemoryProfilerOptions, 'meter' | 'phaseMetrics'>;
  /** The standalone server, when asked for. */
  server: ResolvedServerOptions | undefined;
  bearerToken: string | undefined;
  path: string;
  otlp: MemscopeOptions['otlp'];
  shutdownSignals: NodeJS.Signals[] | undefined;
}

/** Signals a process cannot listen for (process.on() throws for them) or that are not signals at all. */
const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

/**
 * Validates every option of startMemscope() — its own, the server's, OTLP's and the profiler's — before anything is
 * started, so a bad one throws MEMSCOPE_E_INVALID_OPTION and leaves nothing behind (no timer, no socket). A key given
 * at the wrong level is pointed to where it belongs: `port` → `server.port`, `intervalMs` → `otlp.intervalMs`.
 */
export function resolveMemscopeOptions(options: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedMemscopeOptions {
  const o = objectOption('options', options) as MemscopeOptions & Record<string, unknown>;
  const nested: Record<string, string> = { ...profilerNestedKeys() };
  for (const key of SERVER_KEYS) if (!MEMSCOPE_OPTION_KEYS.includes(key)) nested[key] = `server.${key}`;
  for (const key of OTLP_OPTION_KEYS) nested[key] = `otlp.${key}`;
  if (Object.hasOwn(o, 'meter')) {
    throw invalidOption('meter', 'left out: startMemscope() owns its MeterProvider (to record on your own Meter, use new MemoryProfiler({ meter }))', o.meter);
  }
  rejectUnknownKeys(o, MEMSCOPE_OPTION_KEYS, '', nested);
  const profiler: Record<string, unknown> = {};
  for (const key of PROFILER_OPTION_KEYS) if (Object.hasOwn(o, key) && !OWNED_PROFILER_KEYS.includes(key)) profiler[key] = o[key];
  resolveProfilerOptions(profiler);

  if (o.serviceName !== undefined && (typeof o.serviceName !== 'string' || o.serviceName.length === 0 || o.serviceName.length > 1024)) {
    throw invalidOption('serviceName', 'a string of 1 to 1024 characters', o.serviceName);
  }
  if (o.resourceAttributes !== undefined) objectOption('resourceAttributes', o.resourceAttributes);
  const serverValue = o.server ?? false;
  if (serverValue !== false && (typeof serverValue !== 'object' || Array.isArray(serverValue))) {
    throw invalidOption('server', '{ port, host, ... } or false', serverValue);
  }
  let server: ResolvedServerOptions | undefined;
  let serverToken: string | undefined;
  let path = '/metrics';
  if (serverValue !== false) {
    const s = serverValue as Record<string, unknown>;
    rejectUnknownKeys(s, SERVER_KEYS, 'server');
    const { bearerToken: _token, path: _path, ...listen } = s;
    server = resolveServerOptions(listen, 'server');
    serverToken = bearerTokenOption('server.bearerToken', s.bearerToken);
    path = pathOption('server.path', s.path);
  }
  const topToken = bearerTokenOption('bearerToken', o.bearerToken);
  if (serverToken !== undefined && topToken !== undefined && serverToken !== topToken) {
    throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', 'bearerToken and server.bearerToken are two different tokens; give the token once');
  }
  const otlp = o.otlp;
  if (otlp !== undefined && typeof otlp !== 'boolean') resolveOtlpOptions(otlp, env);
  return {
    profiler,
    server,
    bearerToken: serverToken ?? topToken,
    path,
    otlp,
    shutdownSignals: signalsOption('shutdownSignals', o.shutdownSignals),
  };
}

function signalsOption(field: string, value: unknown): NodeJS.Signals[] | undefined {
  if (value === undefined) return undefined;
  const known = Object.keys(constants.signals);
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && known.includes(s) && !UNCATCHABLE.has(s))) {
    throw invalidOption(field, 'an array of signal names a process can handle, e.g. [\'SIGTERM\', \'SIGINT\']', value);
  }
  return value as NodeJS.Signals[];
}
