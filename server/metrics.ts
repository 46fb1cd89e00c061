// What /metrics shows, through prom-client (the ecosystem's standard exporter): Node's own process metrics
// (event-loop lag, heap, GC pauses) beside the game's. Each Metrics has its own registry, so that tests can make
// as many as they like; only the server's collects the process metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  /** Node's process metrics (prom-client's collectDefaultMetrics). The server turns them on; tests need not. */
  process?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: 'flywheel_commands_total',
    help: 'Commands handled, by outcome (ok or an error code).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: 'flywheel_command_duration_seconds',
    help: 'From a command arriving to its answer, queueing and storage included.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ticks = new Counter({
    name: 'flywheel_ticks_total',
    help: 'Deadline timers that went off, by outcome: fired, noop, lease_lost (another process fires it) or failed.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly deadlineLateness = new Histogram({
    name: 'flywheel_deadline_lateness_seconds',
    help: 'How long after its deadline a phase actually moved on (from the tick that fired it).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly catchUps = new Counter({
    name: 'flywheel_catchups_total',
    help: 'Times this process folded events that another process (or an unanswered append) had stored.',
    registers: [this.registry],
  });
  readonly conflicts = new Counter({
    name: 'flywheel_version_conflicts_total',
    help: 'Appends refused because another process had appended first.',
    registers: [this.registry],
  });
  readonly repeats = new Counter({
    name: 'flywheel_command_repeats_total',
    help: 'Commands sent again with an id already answered: answered with the first result, not applied again.',
    registers: [this.registry],
  });
  readonly storeFaults = new Counter({
    name: 'flywheel_store_faults_total',
    help: 'Store calls that failed, by kind: unavailable, no_space, corrupt, io, or refused (the breaker was open).',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.process) collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge read when scraped, so it can never drift from the thing it counts. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
