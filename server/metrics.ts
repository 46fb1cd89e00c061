// A few Prometheus metrics in the text exposition format (version 0.0.4). Small enough to write by hand, so the
// server needs no metrics dependency.

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const keys = Object.keys(labels);
  return keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(',')}}` : '';
};

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  readonly #values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1) {
    const key = labelText(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, v] of this.#values) lines.push(`${this.name}${key} ${v}`);
    return lines.join('\n');
  }
}

/** A gauge read when scraped, so it can never drift from the thing it counts. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly read: () => number,
  ) {}
  render() {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`].join('\n');
  }
}

export class Histogram implements Metric {
  readonly #counts: number[];
  #sum = 0;
  #count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.#counts = buckets.map(() => 0);
  }
  observe(value: number) {
    this.#sum += value;
    this.#count += 1;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) this.#counts[i] += 1;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [i, le] of this.buckets.entries()) lines.push(`${this.name}_bucket{le="${le}"} ${this.#counts[i]}`);
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.#count}`,
      `${this.name}_sum ${this.#sum}`,
      `${this.name}_count ${this.#count}`,
    );
    return lines.join('\n');
  }
}

/** Everything /metrics shows. Gauges are wired up by whoever owns the thing measured. */
export class Metrics {
  readonly commands = new Counter('flywheel_commands_total', 'Commands handled, by outcome (ok or an error code).');
  readonly commandSeconds = new Histogram(
    'flywheel_command_duration_seconds',
    'From a command arriving to its answer, queueing and storage included.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  readonly ticks = new Counter(
    'flywheel_ticks_total',
    'Deadline timers that went off, by outcome: fired, noop, lease_lost (another process fires it) or failed.',
  );
  readonly catchUps = new Counter(
    'flywheel_catchups_total',
    'Times this process folded events that another process (or an unanswered append) had stored.',
  );
  readonly conflicts = new Counter(
    'flywheel_version_conflicts_total',
    'Appends refused because another process had appended first.',
  );
  readonly #gauges: Gauge[] = [];

  gauge(name: string, help: string, read: () => number) {
    this.#gauges.push(new Gauge(name, help, read));
  }

  render(): string {
    return `${[...this.#gauges, this.commands, this.commandSeconds, this.ticks, this.catchUps, this.conflicts].map((m) => m.render()).join('\n')}\n`;
  }
}
