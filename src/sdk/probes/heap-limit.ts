/**
 * The JS heap's usable limit: V8's `heap_size_limit` counts the young generation's reservation (three semi-spaces)
 * too, which long-lived objects never occupy — a process started with --max-old-space-size=64 reports 112 MiB on
 * Node 20 (256 MiB on Node 24) and dies of "heap out of memory" at about 64 MiB used. Measured on Node 20 and 24:
 * the reservation is 3 x the maximum semi-space, 16 MiB by default on Node 20, 64 MiB on Node 22+, or the
 * --max-semi-space-size given.
 */
export function usableHeapLimit(heapSizeLimit: number, flags: string = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`, nodeMajor = Number(process.versions.node.split('.')[0])): number {
  const flag = /--max[-_]semi[-_]space[-_]size[= ](\d+)/.exec(flags);
  const semiMiB = flag ? Number(flag[1]) : nodeMajor >= 22 ? 64 : 16;
  const reserve = 3 * semiMiB * 2 ** 20;
  // Never below a quarter of the reported limit: an unexpected layout must not make every snapshot look unsafe.
  return Math.max(heapSizeLimit - reserve, heapSizeLimit / 4);
}
