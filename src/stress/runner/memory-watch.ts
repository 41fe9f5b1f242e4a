import { request } from 'undici';
import { readMemory, type MemoryReading } from './metrics-scrape.js';

export interface MemoryWatch {
  readonly readings: readonly MemoryReading[];
  /** Scrapes that got no answer or not 200, and the last reason. */
  failures(): { count: number; last: string | null };
  /** One more scrape now (the run's last word), then no more. */
  stop(): Promise<void>;
}

/**
 * Scrapes `metricsUrl` every `intervalMs` (the first at once) and keeps what each scrape says about memory: the
 * figures the memory thresholds and the pictures need, and the service's own leak verdict. The timer is unref()ed
 * and a slow scrape never overlaps the next.
 */
export function watchMemory(metricsUrl: string, intervalMs: number, now: () => number = Date.now): MemoryWatch {
  const readings: MemoryReading[] = [];
  let failed = 0;
  let lastFailure: string | null = null;
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const scrape = async (): Promise<void> => {
    try {
      const res = await request(metricsUrl, { headersTimeout: Math.max(intervalMs, 5000), bodyTimeout: Math.max(intervalMs, 5000) });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      readings.push(readMemory(text, now()));
    } catch (error) {
      failed++;
      lastFailure = error instanceof Error ? error.message : String(error);
    }
  };
  const loop = (): void => {
    pending = scrape().finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs).unref();
    });
  };
  loop();
  return {
    readings,
    failures: () => ({ count: failed, last: lastFailure }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pending;
      await scrape();
    },
  };
}
