/**
 * Appends other registries' text expositions to memscope's, dropping any family whose name — or one of whose sample
 * names (a histogram's `_bucket`, `_sum`, `_count`) — is already served, by memscope or by a registry merged before
 * it: Prometheus fails the whole scrape when one name appears in two families.
 */
export function mergeExpositions(own: string, others: string[], onDuplicate: (name: string) => void): string {
  const taken = new Set<string>();
  reserveAll(own, taken);
  let out = own.endsWith('\n') ? own : `${own}\n`;
  for (const other of others) {
    const types = familyTypes(other);
    let skipping: string | undefined;
    let current: string | undefined;
    for (const line of other.split('\n')) {
      if (line === '') continue;
      const family = familyOf(line);
      if (family !== undefined && family !== current) {
        current = family;
        const names = sampleNames(family, types.get(family));
        skipping = names.some((n) => taken.has(n)) ? family : undefined;
        if (skipping !== undefined) onDuplicate(family);
        else for (const n of names) taken.add(n);
      }
      if (skipping === undefined) out += `${line}\n`;
    }
  }
  return out;
}

function reserveAll(text: string, taken: Set<string>): void {
  for (const [family, type] of familyTypes(text)) for (const n of sampleNames(family, type)) taken.add(n);
}

function familyTypes(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)/gm)) if (match[1] !== undefined && match[2] !== undefined) types.set(match[1], match[2]);
  return types;
}

/** The names a family's samples may carry. */
function sampleNames(family: string, type: string | undefined): string[] {
  if (type === 'histogram') return [family, `${family}_bucket`, `${family}_sum`, `${family}_count`, `${family}_created`];
  if (type === 'summary') return [family, `${family}_sum`, `${family}_count`, `${family}_created`];
  return [family];
}

/** The family a line belongs to when it starts one (a HELP or TYPE line), else undefined. */
function familyOf(line: string): string | undefined {
  const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
  return m?.[1];
}
