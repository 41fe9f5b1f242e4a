import { Command } from 'commander';
import { startBmsService } from '../../bms/service/bms-service.js';
import { MemscopeError } from '../../internal/errors.js';
import { parseBytes } from '../../internal/units.js';
import { addFaultOptions, toFaultOptions, type FaultFlags } from '../fault-options.js';
import { parseHost, parsePort, parsePositiveInt, parser } from '../options.js';

interface ServeOptions extends FaultFlags {
  port: number;
  host: string;
  concurrency: number;
  drainTimeout: number;
  // Left undefined unless given: the service applies its own defaults (this command imports no more of it than it must).
  maxBacklog?: number;
  maxBacklogBytes?: number;
  maxBacklogSeconds?: number;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('run the BMS onboarding service, instrumented with memscope (/api/onboarding/jobs, /metrics, /healthz, /readyz)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort('--port'), 3000)
    .option('--host <host>', 'interface to bind', parseHost('--host'), '127.0.0.1')
    .option('--concurrency <n>', 'onboarding jobs processed at once', parsePositiveInt('--concurrency', 64), 2)
    .option('--drain-timeout <ms>', 'on SIGTERM, how long to wait for accepted jobs; those unfinished then are failed', parsePositiveInt('--drain-timeout'), 30_000)
    .option('--max-backlog <jobs>', 'jobs waiting before new ones are refused with 503 queue_full (default: 100)', parsePositiveInt('--max-backlog', 100_000))
    .option('--max-backlog-bytes <size>', 'request bytes waiting before new jobs are refused, e.g. 64MiB (default: 32MiB)', parser((v) => parseBytes('--max-backlog-bytes', v)))
    .option('--max-backlog-seconds <s>', 'seconds of work (at the measured throughput) accepted jobs may add up to (default: half of --drain-timeout)', parsePositiveInt('--max-backlog-seconds'));
  addFaultOptions(command, { perRequest: true });
  return command.action(async (options: ServeOptions) => {
    await serve(options);
  });
}

async function serve(options: ServeOptions): Promise<void> {
  const service = await startBmsService({
    port: options.port,
    host: options.host,
    concurrency: options.concurrency,
    drainTimeoutMs: options.drainTimeout,
    maxBacklog: options.maxBacklog,
    maxBacklogBytes: options.maxBacklogBytes,
    maxBacklogSeconds: options.maxBacklogSeconds,
    faults: toFaultOptions(options),
  });
  console.log(`memscope serve: BMS onboarding service listening on ${service.url} (metrics at /metrics)`);
  for (const fault of service.faults.describe()) console.log(`memscope serve: FAULT INJECTED: ${fault}`);
  const first = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  // Listening from now on, for every later signal: without a listener the second SIGTERM killed the process (exit
  // 143) mid-drain with nothing in the log. It now ends the wait for accepted jobs, which are failed and listed.
  const again = (signal: NodeJS.Signals): void => {
    console.log(`memscope serve: ${signal} again: not waiting for the ${service.queue.depth} unfinished job(s); failing them and stopping now`);
    service.abortDrain();
  };
  process.on('SIGTERM', again);
  process.on('SIGINT', again);
  try {
    console.log(`memscope serve: ${first}: draining ${service.queue.depth} accepted job(s) (${service.queue.pendingPoints} points; drain timeout ${options.drainTimeout} ms)`);
    const report = await service.close();
    for (const id of report.abandoned) console.log(`memscope serve: job ${id} failed: ${service.store.get(id)?.error ?? 'the service shut down before the job finished'}`);
    if (report.abandoned.length > 0) {
      throw new MemscopeError(
        'MEMSCOPE_E_JOBS_UNFINISHED',
        `stopped with ${report.abandoned.length} of ${report.pending} accepted job(s) unfinished (${report.outcome === 'timeout' ? `drain timeout ${options.drainTimeout} ms` : 'second signal'}); each is logged above as failed`,
      );
    }
    console.log(`memscope serve: stopped; all ${report.pending} job(s) accepted before ${first} finished`);
  } finally {
    process.off('SIGTERM', again);
    process.off('SIGINT', again);
  }
}
