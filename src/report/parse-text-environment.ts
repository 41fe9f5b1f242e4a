import { after, leadingNumber } from './text-lines.js';

/**
 * What memscope's ENVIRONMENT section says about where and how a text report was measured. Every field is null when
 * the report does not say (the original framework's format has no such section). Memory in MiB, as printed.
 */
export interface TextEnvironment {
  node: string | null;
  v8: string | null;
  /** `linux-x64`. */
  platform: string | null;
  cpuModel: string | null;
  cpuCount: number | null;
  heapLimitMiB: number | null;
  /** `none` is recorded as 0: no container limit. */
  containerLimitMiB: number | null;
  workload: string | null;
  pointsPerIteration: number | null;
  batchSize: number | null;
  seed: number | null;
  memscopeVersion: string | null;
  /** The "Faults injected:" line, split; [] when the report says nothing of faults but is memscope's. */
  faults: string[] | null;
}

export function emptyEnvironment(): TextEnvironment {
  return {
    node: null,
    v8: null,
    platform: null,
    cpuModel: null,
    cpuCount: null,
    heapLimitMiB: null,
    containerLimitMiB: null,
    workload: null,
    pointsPerIteration: null,
    batchSize: null,
    seed: null,
    memscopeVersion: null,
    faults: null,
  };
}

/** Reads one (trimmed) line of the ENVIRONMENT section into `env`; false when the line is none of its lines. */
export function readEnvironmentLine(env: TextEnvironment, line: string): boolean {
  const node = after(line, 'Node: ');
  if (node !== undefined) {
    // 20.20.2 (V8 11.3.244.8-node.38), linux-x64
    const m = /^(\S+) \(V8 ([^()]*)\), (\S+)$/.exec(node);
    if (m !== null) [env.node, env.v8, env.platform] = [m[1] ?? null, m[2] ?? null, m[3] ?? null];
    return true;
  }
  const cpu = after(line, 'CPU: ');
  if (cpu !== undefined) {
    const at = cpu.lastIndexOf(' x ');
    const count = at < 0 ? undefined : leadingNumber(cpu.slice(at + 3));
    if (count !== undefined && count.rest === '') [env.cpuModel, env.cpuCount] = [cpu.slice(0, at), count.value];
    return true;
  }
  const memory = after(line, 'Memory: ');
  if (memory !== undefined) {
    const heap = memory.indexOf('heap limit ');
    if (heap >= 0) env.heapLimitMiB = leadingNumber(memory.slice(heap + 11))?.value ?? null;
    const container = memory.indexOf('container limit ');
    if (container >= 0) {
      const rest = memory.slice(container + 16);
      env.containerLimitMiB = rest.startsWith('none') ? 0 : (leadingNumber(rest)?.value ?? null);
    }
    return true;
  }
  const workload = after(line, 'Workload: ');
  if (workload !== undefined) {
    // bms-onboarding, 500 points per iteration in batches of 100, seed 42
    const [name, points, seed] = workload.split(', ');
    env.workload = name ?? null;
    env.pointsPerIteration = leadingNumber(points ?? '')?.value ?? null;
    const batch = (points ?? '').indexOf('in batches of ');
    env.batchSize = batch < 0 ? null : (leadingNumber((points ?? '').slice(batch + 14))?.value ?? null);
    env.seed = leadingNumber(after(seed ?? '', 'seed ') ?? '')?.value ?? null;
    // memscope's own report: it names the faults it injected, so saying nothing means there were none.
    env.faults ??= [];
    return true;
  }
  const faults = after(line, 'Faults injected: ');
  if (faults !== undefined) {
    env.faults = faults.split('; ');
    return true;
  }
  const memscope = after(line, 'memscope ');
  if (memscope !== undefined && memscope.includes(';')) {
    env.memscopeVersion = memscope.slice(0, memscope.indexOf(';'));
    return true;
  }
  return false;
}
