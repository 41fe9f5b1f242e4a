import { Command } from 'commander';
import { startBmsService } from '../../bms/service/bms-service.js';
import { addFaultOptions, toFaultOptions, type FaultFlags } from '../fault-options.js';
import { parseHost, parsePort, parsePositiveInt } from '../options.js';

interface ServeOptions extends FaultFlags {
  port: number;
  host: string;
  concurrency: number;
  drainTimeout: number;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('run the BMS onboarding service, instrumented with memscope (/api/onboarding/jobs, /metrics, /healthz, /readyz)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort('--port'), 3000)
    .option('--host <host>', 'interface to bind', parseHost('--host'), '127.0.0.1')
    .option('--concurrency <n>', 'onboarding jobs processed at once', parsePositiveInt('--concurrency', 64), 2)
    .option('--drain-timeout <ms>', 'on SIGTERM, how long to wait for accepted jobs', parsePositiveInt('--drain-timeout'), 30_000);
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
    faults: toFaultOptions(options),
  });
  console.log(`memscope serve: BMS onboarding service listening on ${service.url} (metrics at /metrics)`);
  for (const fault of service.faults.describe()) console.log(`memscope serve: FAULT INJECTED: ${fault}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => {
      resolve('SIGTERM');
    });
    process.once('SIGINT', () => {
      resolve('SIGINT');
    });
  });
  console.log(`memscope serve: ${signal}: draining accepted jobs`);
  const unfinished = await service.close();
  console.log(unfinished === 0 ? 'memscope serve: stopped' : `memscope serve: stopped with ${unfinished} job(s) unfinished after the drain timeout`);
}
