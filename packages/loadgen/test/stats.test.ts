import { describe, expect, it } from "vitest";
import { LatencyRecorder, percentile } from "../src/stats.ts";

describe("LatencyRecorder", () => {
  it("summarises 1..100 with nearest-rank percentiles", () => {
    const recorder = new LatencyRecorder();
    // Recorded out of order: the summary must sort.
    for (let i = 100; i >= 1; i--) recorder.record(i);
    expect(recorder.summary()).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it("reports nulls and zero count when empty", () => {
    expect(new LatencyRecorder().summary()).toEqual({
      count: 0,
      p50: null,
      p95: null,
      p99: null,
      max: null,
    });
  });

  it("reports a single sample at every percentile", () => {
    const recorder = new LatencyRecorder();
    recorder.record(7.5);
    expect(recorder.summary()).toEqual({ count: 1, p50: 7.5, p95: 7.5, p99: 7.5, max: 7.5 });
  });

  it("merges recorders", () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    for (let i = 1; i <= 10; i++) a.record(i);
    for (let i = 11; i <= 20; i++) b.record(i);
    a.merge(b);
    expect(a.summary()).toMatchObject({ count: 20, p50: 10, p95: 19, max: 20 });
  });

  it("rejects non-finite samples", () => {
    expect(() => new LatencyRecorder().record(Number.NaN)).toThrow(RangeError);
  });
});

describe("percentile", () => {
  it("picks the nearest rank on small inputs", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
  });

  it("rejects out-of-range percentiles", () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});
