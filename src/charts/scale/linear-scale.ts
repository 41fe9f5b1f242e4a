/** Maps a domain (bytes, milliseconds) linearly onto a pixel range. A zero-width domain maps to the range's middle. */
export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const map = span === 0 ? (): number => (r0 + r1) / 2 : (value: number): number => r0 + ((value - d0) / span) * (r1 - r0);
  return Object.assign(map, { domain: [d0, d1] as const, range: [r0, r1] as const });
}
