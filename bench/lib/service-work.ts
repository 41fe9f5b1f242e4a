/**
 * The fixed CPU work of one half of a service-bench request: a small document built, serialized and parsed back, as
 * a JSON API does. A fixed amount of work (not a time budget), so every variant does exactly the same work; about
 * 40 µs on the bench machine (service.bench.ts measures and reports it).
 */
export function serviceWork(seed: number): number {
  const items: Array<{ id: number; name: string; tags: string[]; value: number }> = [];
  for (let i = 0; i < 40; i++) items.push({ id: seed + i, name: `item-${(seed + i) % 997}`, tags: ['bms', i % 2 === 0 ? 'even' : 'odd'], value: i * 1.5 });
  const text = JSON.stringify(items);
  const back = JSON.parse(text) as typeof items;
  let sum = 0;
  for (const item of back) sum += item.value + item.name.length;
  return sum + text.length;
}
