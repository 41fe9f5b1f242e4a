import { Command } from 'commander';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMemscope } from '../../exporter/start-memscope.js';
import { closeServer } from '../../exporter/metrics-server.js';
import { MemscopeError, errorMessage } from '../../internal/errors.js';
import { parsePort } from '../options.js';

interface ServeOptions {
  port: number;
  host: string;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the instrumented service with /metrics, /healthz and /readyz')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort('--port'), 3000)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .action(async (options: ServeOptions) => {
      await serve(options);
    });
}

async function serve(options: ServeOptions): Promise<void> {
  const memscope = await startMemscope({ serviceName: 'memscope-serve', shutdownSignals: [] });
  const server = createServer((req, res) => {
    if (req.url === '/healthz' || req.url === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}\n');
      return;
    }
    memscope.metricsHandler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(new MemscopeError('MEMSCOPE_E_LISTEN', `cannot listen on ${options.host}:${options.port}: ${errorMessage(error)}`));
    });
    server.listen(options.port, options.host, resolve);
  }).catch(async (error: unknown) => {
    await memscope.shutdown();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  console.log(`memscope serve: listening on http://${options.host}:${port} (metrics at /metrics)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void closeServer(server, 10_000).then(() => memscope.shutdown()).then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  console.log('memscope serve: stopped');
}
