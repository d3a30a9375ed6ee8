/** Prometheus text exposition of a few counters and whatever gauges the parts report. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();
  private readonly groups = new Map<string, () => Record<string, number>>();
  private readonly started = Date.now();

  observeRequest(method: string, status: number) {
    const key = `method="${method}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  gauge(name: string, read: () => number) {
    this.gauges.set(name, read);
  }

  /** Several gauges read at once: `prefix_<snake_case key>` for each key of the record. */
  gaugeGroup(prefix: string, read: () => Record<string, number>) {
    this.groups.set(prefix, read);
  }

  render(): string {
    const lines = [
      "# TYPE pairpad_http_requests_total counter",
      ...[...this.requests].map(([labels, n]) => `pairpad_http_requests_total{${labels}} ${n}`),
      "# TYPE pairpad_uptime_seconds gauge",
      `pairpad_uptime_seconds ${Math.round((Date.now() - this.started) / 1000)}`,
      "# TYPE pairpad_process_resident_memory_bytes gauge",
      `pairpad_process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    ];
    for (const [name, read] of this.gauges) {
      lines.push(`# TYPE ${name} gauge`, `${name} ${read()}`);
    }
    for (const [prefix, read] of this.groups) {
      for (const [key, value] of Object.entries(read())) {
        const name = `${prefix}_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
        lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}
