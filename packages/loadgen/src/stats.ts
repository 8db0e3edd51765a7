/** Latency accounting: a recorder of samples in milliseconds, summarised by nearest-rank percentiles. */

export type Summary = {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
};

/**
 * Nearest-rank percentile of an ascending array: the smallest sample such that at least `p`% of
 * samples are less than or equal to it. `null` when there are no samples.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

export class LatencyRecorder {
  private samples: number[] = [];

  record(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`latency sample must be finite, got ${ms}`);
    this.samples.push(ms);
  }

  /** Adds every sample of `other` to this recorder. */
  merge(other: LatencyRecorder): void {
    for (const sample of other.samples) this.samples.push(sample);
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): Summary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return {
      count: sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null),
    };
  }
}
