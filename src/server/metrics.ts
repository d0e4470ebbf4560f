// Counters and gauges served at GET /metrics in the Prometheus text format.

/** Why a connection or message was refused; the label of `space_kit_refusals_total`. */
export const RefusalReason = {
  badPath: 'bad-path',
  noTicket: 'no-ticket',
  badTicket: 'bad-ticket',
  forbidden: 'forbidden',
  unknownSpace: 'unknown-space',
  storageError: 'storage-error',
  tooManyConnections: 'too-many-connections',
  frameTooLarge: 'frame-too-large',
  malformed: 'malformed',
  rateLimited: 'rate-limited',
  shuttingDown: 'shutting-down',
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

// Bucket bounds of the store latency histogram, in seconds.
const latencyBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** The server's live numbers. Gauges are read when rendered. */
export class Metrics {
  bytesIn = 0;
  bytesOut = 0;
  readonly refusals = new Map<RefusalReason, number>();
  readonly #latencyCounts = latencyBuckets.map(() => 0);
  #latencyCount = 0;
  #latencySum = 0;

  refuse(reason: RefusalReason): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  observeStoreLatency(seconds: number): void {
    this.#latencyCount += 1;
    this.#latencySum += seconds;
    latencyBuckets.forEach((bound, index) => {
      if (seconds <= bound) this.#latencyCounts[index]! += 1;
    });
  }

  /** Renders every metric; `connections` and `rooms` are the current gauge values. */
  render(gauges: { connections: number; rooms: number }): string {
    const memory = process.memoryUsage();
    const lines = [
      ...metric('space_kit_connections', 'gauge', 'Open WebSocket connections.', [
        `space_kit_connections ${gauges.connections}`,
      ]),
      ...metric('space_kit_rooms', 'gauge', 'Rooms (documents) loaded in memory.', [
        `space_kit_rooms ${gauges.rooms}`,
      ]),
      ...metric('space_kit_bytes_in_total', 'counter', 'Bytes received in WebSocket frames.', [
        `space_kit_bytes_in_total ${this.bytesIn}`,
      ]),
      ...metric('space_kit_bytes_out_total', 'counter', 'Bytes sent in WebSocket frames.', [
        `space_kit_bytes_out_total ${this.bytesOut}`,
      ]),
      ...metric(
        'space_kit_refusals_total',
        'counter',
        'Refused connections and closed connections, by reason.',
        Object.values(RefusalReason).map(
          (reason) =>
            `space_kit_refusals_total{reason="${reason}"} ${this.refusals.get(reason) ?? 0}`,
        ),
      ),
      ...metric(
        'space_kit_store_latency_seconds',
        'histogram',
        'Time to durably store a batch of updates.',
        [
          ...latencyBuckets.map(
            (bound, index) =>
              `space_kit_store_latency_seconds_bucket{le="${bound}"} ${this.#latencyCounts[index]}`,
          ),
          `space_kit_store_latency_seconds_bucket{le="+Inf"} ${this.#latencyCount}`,
          `space_kit_store_latency_seconds_sum ${this.#latencySum}`,
          `space_kit_store_latency_seconds_count ${this.#latencyCount}`,
        ],
      ),
      ...metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [
        `process_resident_memory_bytes ${memory.rss}`,
      ]),
      ...metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [
        `nodejs_heap_used_bytes ${memory.heapUsed}`,
      ]),
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** One metric in the Prometheus text format: its HELP and TYPE lines, then its samples. */
function metric(name: string, type: string, help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}
