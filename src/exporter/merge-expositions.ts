/**
 * Appends other registries' text expositions to memscope's, dropping any family whose name memscope already serves:
 * Prometheus fails the whole scrape when one name appears in two families.
 */
export function mergeExpositions(own: string, others: string[], onDuplicate: (name: string) => void): string {
  const names = familyNames(own);
  let out = own.endsWith('\n') ? own : `${own}\n`;
  for (const other of others) {
    let skipping: string | undefined;
    for (const line of other.split('\n')) {
      if (line === '') continue;
      const family = familyOf(line);
      if (family !== undefined) {
        skipping = names.has(family) ? family : undefined;
        if (skipping !== undefined && line.startsWith('# TYPE')) onDuplicate(family);
      }
      if (skipping === undefined) out += `${line}\n`;
    }
  }
  return out;
}

function familyNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) /gm)) if (match[1] !== undefined) names.add(match[1]);
  return names;
}

/** The family a line belongs to when it starts one (a HELP or TYPE line), else undefined. */
function familyOf(line: string): string | undefined {
  const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
  return m?.[1];
}
