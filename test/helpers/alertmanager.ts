import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { requireBinary } from './prometheus.js';

/**
 * Debian installs Alertmanager as `prometheus-alertmanager`, the upstream tarball as `alertmanager`; `ALERTMANAGER`
 * points at a specific binary.
 */
const CANDIDATES = ['prometheus-alertmanager', 'alertmanager'];
const HINT = 'install it with: apt-get install -y --no-install-recommends prometheus-alertmanager (npm test does this itself)';
/** A free port can be taken by someone else between freePort() and Alertmanager binding it: retry that, nothing else. */
const ATTEMPTS = 3;

export interface AlertmanagerOptions {
  /** alertmanager.yml text (see rewriteAlertmanagerConfig in prometheus-config.ts). */
  config: string;
  args?: string[];
}

/** One alert as Alertmanager's API v2 lists it (GET /api/v2/alerts). */
export interface AlertmanagerApiAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  receivers: Array<{ name: string }>;
}

export interface RunningAlertmanager {
  url: string;
  /** `host:port`, as Prometheus' `alerting` section wants it. */
  address: string;
  dir: string;
  /** The alerts Alertmanager holds now. */
  alerts(): Promise<AlertmanagerApiAlert[]>;
  /** The last part of its log (warnings and errors), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Runs a real Alertmanager on 127.0.0.1: storage in a temp dir, a free port (it cannot listen on port 0 and report
 * back), and `--cluster.listen-address=` so it opens no gossip port (a single instance needs none, and the default
 * 9094 would collide between parallel runs).
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const binary = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'memscope-am-'));
  try {
    writeFileSync(join(dir, 'alertmanager.yml'), options.config);
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(binary, dir, options.args ?? []);
      } catch (error) {
        if (!(error instanceof PortTakenError) || attempt >= ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

class PortTakenError extends Error {}

function findBinary(): string {
  const fromEnv = process.env.ALERTMANAGER;
  if (fromEnv !== undefined && fromEnv !== '') {
    requireBinary(fromEnv, HINT);
    return fromEnv;
  }
  const found = CANDIDATES.find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
  // Throws with the CI wording when neither name is installed.
  requireBinary(found ?? CANDIDATES[0]!, HINT);
  return found!;
}

async function launch(binary: string, dir: string, args: string[]): Promise<RunningAlertmanager> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  let log = '';
  const child: ChildProcess = spawn(binary, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=${address}`,
    '--cluster.listen-address=',
    '--log.level=warn',
    ...args,
  ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (log = (log + c).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await exited;
      const message = `alertmanager exited with ${child.exitCode}:\n${log}`;
      throw /address already in use/i.test(log) ? new PortTakenError(message) : new Error(message);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager not ready after 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    address,
    dir,
    alerts: async () => {
      const res = await fetch(`${url}/api/v2/alerts`);
      if (!res.ok) throw new Error(`Alertmanager /api/v2/alerts: ${res.status} ${await res.text()}`);
      return (await res.json()) as AlertmanagerApiAlert[];
    },
    log: () => log,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
