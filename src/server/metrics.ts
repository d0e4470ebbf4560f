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
      '# HELP space_kit_connections Open WebSocket connections.',
      '# TYPE space_kit_connections gauge',
      `space_kit_connections ${gauges.connections}`,
      '# HELP space_kit_rooms Rooms (documents) loaded in memory.',
      '# TYPE space_kit_rooms gauge',
      `space_kit_rooms ${gauges.rooms}`,
      '# HELP space_kit_bytes_in_total Bytes received in WebSocket frames.',
      '# TYPE space_kit_bytes_in_total counter',
      `space_kit_bytes_in_total ${this.bytesIn}`,
      '# HELP space_kit_bytes_out_total Bytes sent in WebSocket frames.',
      '# TYPE space_kit_bytes_out_total counter',
      `space_kit_bytes_out_total ${this.bytesOut}`,
      '# HELP space_kit_refusals_total Refused connections and closed connections, by reason.',
      '# TYPE space_kit_refusals_total counter',
      ...Object.values(RefusalReason).map(
        (reason) =>
          `space_kit_refusals_total{reason="${reason}"} ${this.refusals.get(reason) ?? 0}`,
      ),
      '# HELP space_kit_store_latency_seconds Time to durably store a batch of updates.',
      '# TYPE space_kit_store_latency_seconds histogram',
      ...latencyBuckets.map(
        (bound, index) =>
          `space_kit_store_latency_seconds_bucket{le="${bound}"} ${this.#latencyCounts[index]}`,
      ),
      `space_kit_store_latency_seconds_bucket{le="+Inf"} ${this.#latencyCount}`,
      `space_kit_store_latency_seconds_sum ${this.#latencySum}`,
      `space_kit_store_latency_seconds_count ${this.#latencyCount}`,
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${memory.heapUsed}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
