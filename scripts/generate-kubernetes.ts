// Writes deploy/kubernetes/ from src/kubernetes (npm run generate:kubernetes), the k6 scripts bundled on the way.
// --check (npm run check:kubernetes) writes nothing and exits 1 when a file is missing, differs or is left over.
// A variant of the committed files, elsewhere: --out DIR with --image, --namespace, --prometheus-release,
// --replicas, --memory-limit-mib (docs/guides/kubernetes.md).
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { kubernetesManifests, syncManifestFiles, validateManifests } from '../src/kubernetes/index.js';
import { bundleK6Scenarios, REPO_ROOT } from './k6-bundle.js';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO_ROOT, 'deploy/kubernetes') },
    image: { type: 'string' },
    namespace: { type: 'string' },
    'prometheus-release': { type: 'string' },
    replicas: { type: 'string' },
    'memory-limit-mib': { type: 'string' },
  },
});
const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));

const out = resolve(values.out);
const files = kubernetesManifests(
  {
    image: values.image,
    namespace: values.namespace,
    prometheusRelease: values['prometheus-release'],
    replicas: number(values.replicas),
    memoryLimitMiB: number(values['memory-limit-mib']),
  },
  bundleK6Scenarios(),
);
validateManifests(files);
const result = syncManifestFiles(files, out, { check: values.check });

const shown = (path: string): string => relative(process.cwd(), join(out, path));
if (values.check) {
  const problems = [
    ...result.missing.map((p) => `missing: ${shown(p)}`),
    ...result.changed.map((p) => `out of date: ${shown(p)}`),
    ...result.leftOver.map((p) => `left over: ${shown(p)}`),
  ];
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\nrun: npm run generate:kubernetes`);
    process.exitCode = 1;
  }
} else {
  for (const path of [...result.missing, ...result.changed]) console.log(`wrote ${shown(path)}`);
  for (const path of result.leftOver) console.log(`removed ${shown(path)}`);
}
