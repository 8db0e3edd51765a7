import * as Y from "yjs";
import type { BackingServices } from "./backing.ts";
import { sleep } from "./drive.ts";
import { EditLedger, nowMs } from "./ledger.ts";
import { Probe } from "./protocol.ts";
import { LatencyRecorder, type Summary } from "./stats.ts";
import { startTarget } from "./targets.ts";

/**
 * The exports workload (issue 16, attack 10): a 300-paragraph draft that a drafter keeps
 * typing into (so no export is served from the cache), and `exporters` people each asking for
 * its DOCX or PDF again as soon as the last one arrived, while a probe on a seminar measures
 * its websocket round trips (sync step 1 → step 2). The same probe, the same typing, first
 * without exports (the baseline), then with them: the goal is a ratio of at most 2.
 */

export type ExportsParams = {
  paragraphs: number;
  exporters: number;
  /** Seconds of the baseline, and again of the exports. */
  phaseS: number;
  /** Round trips per second the probe makes (one at a time). */
  probeRate: number;
  keystrokesPerSecond: number;
};

export const EXPORTS_SIZES: ExportsParams = {
  paragraphs: 300,
  exporters: 10,
  phaseS: 15,
  probeRate: 10,
  keystrokesPerSecond: 5,
};

export type ExportsResult = {
  target: "percorso";
  params: ExportsParams;
  baseline: Summary;
  underExports: Summary;
  /** Round trip during exports ÷ the baseline, at p50 and at p99 (goal ≤ 2). */
  ratio: { p50: number | null; p99: number | null };
  exports: {
    done: number;
    refused: number;
    failed: number;
    /** Answered from the cache (`X-Percorso-Job: cache`). */
    cached: number;
    bytes: number;
    seconds: Summary;
  };
  errors: string[];
};

const TIMEOUT_MS = 60_000;

const tokenOf = (url: string): string => new URL(url).searchParams.get("token") ?? "";

/** Fills the draft's body with `count` paragraphs of two sentences each. */
function fill(doc: Y.Doc, count: number): void {
  doc.transact(() => {
    const body = doc.getXmlFragment("body");
    body.insert(
      body.length,
      Array.from({ length: count }, (_, i) => {
        const paragraph = new Y.XmlElement("paragraph");
        const text = new Y.XmlText();
        // One insert before the text is in the document: it takes it whole.
        text.insert(
          0,
          `Paragrafo ${i + 1}. Le filiere corte, la formazione e la cooperazione territoriale ` +
            "sono la condizione di un'economia circolare che tenga insieme imprese e comunità.",
        );
        paragraph.insert(0, [text]);
        return paragraph;
      }),
    );
  });
}

export async function runExports(
  services: BackingServices,
  p: ExportsParams = EXPORTS_SIZES,
): Promise<ExportsResult> {
  const errors: string[] = [];
  const target = await startTarget("percorso", { services });
  const ledger = new EditLedger();
  try {
    const [draft] = await target.documents("draft", 1);
    const [seminar] = await target.documents("seminar", 1);
    if (draft === undefined || seminar === undefined) throw new Error("no documents");
    const writer = new Probe(draft.writerUrl, "yjs", { id: "drafter", ledger, fragment: "body" });
    const probe = new Probe(seminar.writerUrl, "yjs", { id: "probe", ledger });
    await Promise.all([writer.connect(), probe.connect()]);
    await Promise.all([writer.whenSynced(TIMEOUT_MS), probe.whenSynced(TIMEOUT_MS)]);
    fill(writer.doc, p.paragraphs);
    writer.prepare();
    await writer.roundTrip(TIMEOUT_MS);
    const base = new URL(draft.writerUrl.replace(/^ws/, "http")).origin;
    // One drafter invite per exporter: each is its own token, within its own share.
    const exporterTokens = (await target.documents("draft", 1)).map((d) => tokenOf(d.writerUrl));
    for (let i = 1; i < p.exporters; i++) {
      const [more] = await target.documents("draft", 1);
      exporterTokens.push(tokenOf(more?.writerUrl ?? ""));
    }

    let typing = true;
    const typist = (async () => {
      while (typing) {
        writer.type();
        await sleep(1000 / p.keystrokesPerSecond);
      }
    })();

    const probeFor = async (seconds: number): Promise<Summary> => {
      const recorder = new LatencyRecorder();
      const end = nowMs() + seconds * 1000;
      while (nowMs() < end) {
        const started = nowMs();
        await probe.roundTrip(TIMEOUT_MS);
        recorder.record(nowMs() - started);
        await sleep(Math.max(0, 1000 / p.probeRate - (nowMs() - started)));
      }
      return recorder.summary();
    };

    const baseline = await probeFor(p.phaseS);

    const exportSeconds = new LatencyRecorder();
    const counts = { done: 0, refused: 0, failed: 0, cached: 0, bytes: 0 };
    let exporting = true;
    const exporters = exporterTokens.map(async (token, i) => {
      const format = i % 2 === 0 ? "docx" : "pdf";
      while (exporting) {
        const started = nowMs();
        try {
          const response = await fetch(`${base}/api/programmes/toscana-2021/draft.${format}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = await response.arrayBuffer();
          if (response.status === 429) {
            counts.refused++;
            await sleep(Number(response.headers.get("retry-after") ?? "1") * 1000);
            continue;
          }
          if (!response.ok) throw new Error(`${format}: ${response.status}`);
          counts.done++;
          counts.bytes += body.byteLength;
          if (response.headers.get("x-percorso-job") === "cache") counts.cached++;
          exportSeconds.record((nowMs() - started) / 1000);
        } catch (error) {
          counts.failed++;
          errors.push(error instanceof Error ? error.message : String(error));
          await sleep(1000);
        }
      }
    });
    const underExports = await probeFor(p.phaseS);
    exporting = false;
    await Promise.all(exporters);
    typing = false;
    await typist;
    await Promise.all([writer.close(), probe.close()]);

    const ratioOf = (a: number | null, b: number | null) =>
      a === null || b === null || b === 0 ? null : a / b;
    return {
      target: "percorso",
      params: p,
      baseline,
      underExports,
      ratio: {
        p50: ratioOf(underExports.p50, baseline.p50),
        p99: ratioOf(underExports.p99, baseline.p99),
      },
      exports: { ...counts, seconds: exportSeconds.summary() },
      errors: errors.slice(0, 20),
    };
  } finally {
    await target.stop();
  }
}
