import { describe, expect, it } from 'vitest';
import { commandLine, knownWrapper } from '../../src/run/wrappers.js';

describe('knownWrapper', () => {
  it.each([
    ['/usr/bin/npm', 'npm'],
    ['/usr/lib/node_modules/npm/bin/npm-cli.js', 'npm'],
    ['/usr/lib/node_modules/npm/bin/npx-cli.js', 'npx'],
    ['/home/u/.cache/node/corepack/v1/yarn/4.1.0/yarn.js', 'yarn'],
    ['/repo/.yarn/releases/yarn-4.5.0.cjs', 'yarn'],
    ['/usr/local/lib/node_modules/pnpm/bin/pnpm.cjs', 'pnpm'],
    ['/usr/lib/node_modules/corepack/dist/corepack.js', 'corepack'],
    ['/repo/node_modules/.bin/tsx', 'tsx'],
    ['/repo/node_modules/tsx/dist/cli.mjs', 'tsx'],
    ['/repo/node_modules/nodemon/bin/nodemon.js', 'nodemon'],
  ])('names %s a wrapper (%s)', (path, name) => {
    expect(knownWrapper([path])).toBe(name);
  });

  it.each(['/srv/app/server.js', '/srv/app/npm-tools.js', '/srv/app/tsx-report.mjs', '/srv/app/dist/cli.mjs', ''])('does not name the program %j a wrapper', (path) => {
    expect(knownWrapper([path])).toBeNull();
  });

  it('looks at the script as given and as resolved through symlinks', () => {
    expect(knownWrapper(['/usr/local/bin/something', '/usr/lib/node_modules/npm/bin/npm-cli.js'])).toBe('npm');
    expect(knownWrapper([undefined, undefined])).toBeNull();
  });
});

describe('commandLine', () => {
  it('reads as typed: the executable by name, the script relative to the working directory', () => {
    expect(commandLine(['/usr/bin/node', '/srv/app/server.js', '--port', '8080'], [], '/srv/app')).toBe('node server.js --port 8080');
    expect(commandLine(['/usr/bin/node', '/usr/bin/npm', 'run', 'start'], [], '/srv/app')).toBe('node /usr/bin/npm run start');
    expect(commandLine(['/usr/bin/node', '/srv/app/a b.js'], ['--expose-gc'], '/srv/app')).toBe('node --expose-gc "a b.js"');
    expect(commandLine(['/usr/bin/node'], [], '/')).toBe('node');
  });
});
