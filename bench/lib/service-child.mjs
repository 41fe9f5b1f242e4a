// The BMS service as a benchmark target: started from a built dist/ (this build's, or a baseline's), with the
// event-loop delay measured inside the service process — where a blocked loop is felt — and read over IPC.
//   node bench/lib/service-child.mjs <dist dir> '<startBmsService options as JSON>'
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [distDir, optionsJson] = process.argv.slice(2);
const { startBmsService } = await import(`${distDir}/bms/service/bms-service.js`);
const service = await startBmsService({ port: 0, ...JSON.parse(optionsJson ?? '{}') });
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.on('message', (message) => {
  if (message === 'reset') {
    delay.reset();
    process.send({ type: 'reset' });
  } else if (message === 'read') {
    process.send({ type: 'delay', maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 });
  } else if (message === 'close') {
    delay.disable();
    void service.close().then(() => process.exit(0));
  }
});
process.send({ type: 'ready', url: service.url });
