import type { Counter, Meter, ObservableGauge } from '@opentelemetry/api';

/** The service's own metrics (beside memscope's): jobs by outcome, points received, queue depth. */
export class ServiceMetrics {
  private readonly jobs: Counter;
  private readonly points: Counter;
  private readonly depth: ObservableGauge;

  constructor(meter: Meter, queueDepth: () => number) {
    this.jobs = meter.createCounter('bms.onboarding.jobs', { description: 'Onboarding jobs by outcome (accepted, succeeded, failed).', unit: '{job}' });
    this.points = meter.createCounter('bms.onboarding.points', { description: 'Points received in accepted onboarding jobs.', unit: '{point}' });
    this.depth = meter.createObservableGauge('bms.onboarding.queue.depth', { description: 'Onboarding jobs waiting or running.', unit: '{job}' });
    this.depth.addCallback((result) => {
      result.observe(queueDepth());
    });
  }

  jobAccepted(points: number): void {
    this.jobs.add(1, { 'bms.job.status': 'accepted' });
    this.points.add(points);
  }

  jobFinished(status: 'succeeded' | 'failed'): void {
    this.jobs.add(1, { 'bms.job.status': status });
  }
}
