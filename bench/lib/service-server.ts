// Child program of service.bench.ts: an express 5 service in one of five variants, in a fresh process each.
//   bare            the service alone
//   memscope        startMemscope() and its metricsHandler at /metrics (the README's setup)
//   memscope-phase  the same, and every request runs inside profiler.phase('request', ...)
//   prom-client     prom-client's collectDefaultMetrics() served at /metrics
//   otel            OpenTelemetry's instrumentation-runtime-node served by @opentelemetry/exporter-prometheus
// Prints {"port"} once listening. Each line read on stdin is answered on stdout with the process's CPU time so far
// ({"cpuUs"}), so the driver measures CPU per request over exactly its load window.
import express from 'express';
import { createInterface } from 'node:readline';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { serviceWork } from './service-work.js';

const variant = process.argv[2] ?? 'bare';
const app = express();
let around: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn();

switch (variant) {
  case 'bare':
    break;
  case 'memscope':
  case 'memscope-phase': {
    const { startMemscope } = await import('../../dist/index.js');
    const memscope = await startMemscope({ serviceName: 'service-bench', shutdownSignals: [] });
    app.use(memscope.metricsHandler);
    if (variant === 'memscope-phase') around = (fn) => memscope.profiler.phase('request', fn);
    break;
  }
  case 'prom-client': {
    const client = (await import('prom-client')).default;
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry });
    app.get('/metrics', (_req, res, next) => {
      registry.metrics().then((text) => {
        res.set('Content-Type', registry.contentType).send(text);
      }, next);
    });
    break;
  }
  case 'otel': {
    const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
    const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
    const { RuntimeNodeInstrumentation } = await import('@opentelemetry/instrumentation-runtime-node');
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [exporter] });
    const runtime = new RuntimeNodeInstrumentation();
    runtime.setMeterProvider(provider);
    runtime.enable();
    app.get('/metrics', (req, res) => { exporter.getMetricsRequestHandler(req, res); });
    break;
  }
  default:
    throw new Error(`unknown variant ${variant}`);
}

// The request: some work, an asynchronous boundary (a database call would be one), more work, a JSON answer.
let seed = 0;
app.get('/work', (_req, res, next) => {
  around(async () => {
    const first = serviceWork(seed++);
    await yieldToLoop();
    res.json({ first, second: serviceWork(seed++) });
  }).catch(next);
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
createInterface({ input: process.stdin }).on('line', () => {
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ cpuUs: cpu.user + cpu.system }));
}).on('close', () => {
  process.exit(0);
});
