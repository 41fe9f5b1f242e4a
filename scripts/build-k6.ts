// `npm run build:k6`: bundles every k6 scenario of load-tests/ into load-tests/dist/<profile>.js (gitignored), which
// any k6 runs: `k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/smoke.js`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleK6Scenarios, REPO_ROOT } from './k6-bundle.js';

const out = join(REPO_ROOT, 'load-tests/dist');
mkdirSync(out, { recursive: true });
for (const bundle of bundleK6Scenarios()) {
  writeFileSync(join(out, bundle.file), bundle.text);
  console.log(`wrote load-tests/dist/${bundle.file} (${(bundle.text.length / 1024).toFixed(1)} KiB)`);
}
