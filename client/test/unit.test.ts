import { describe, expect, test } from "vitest";
import i18next from "i18next";
import { TOSCANA_2021 } from "@percorso/schema";
import { layoutGantt } from "../src/lib/gantt.ts";
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS, reconnectDelay } from "../src/lib/backoff.ts";
import { parseMarkup, type MarkupNode } from "../src/draft/markup.ts";
import { it as italian } from "../src/locales/it.ts";
import { en as english } from "../src/locales/en.ts";
import { addFormatters } from "../src/i18n.ts";
import { onePerPerson } from "../src/lib/presence.ts";
import { withoutGrouped } from "../src/console/proposals.ts";

/** Every key path of a nested message table, e.g. `questions.votes_one`. */
function keys(table: object, prefix = ""): string[] {
  return Object.entries(table).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}

describe("locales", () => {
  test("English has exactly the Italian keys, plural forms included", () => {
    expect(keys(english).sort()).toEqual(keys(italian).sort());
  });

  test("no message is left empty, and placeholders match between languages", () => {
    const flatIt = Object.fromEntries(keys(italian).map((k) => [k, lookup(italian, k)]));
    for (const key of keys(english)) {
      const en = lookup(english, key);
      expect(en.trim(), key).not.toBe("");
      expect(placeholders(en), key).toEqual(placeholders(flatIt[key]!));
    }
  });
});

function lookup(table: object, path: string): string {
  return path
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], table) as string;
}

function placeholders(message: string): string[] {
  // The name only: a format (`{{time, onDate}}`) may be one language's alone.
  return [...message.matchAll(/\{\{(\w+)(?:,\s*\w+)?\}\}/g)].map((m) => m[1]!).sort();
}

describe("Italian in the web app (issue 22)", () => {
  async function translator(lng: "it" | "en") {
    const instance = i18next.createInstance();
    await instance.init({
      resources: { it: { translation: italian }, en: { translation: english } },
      lng,
      interpolation: { escapeValue: false },
    });
    addFormatters(instance);
    return instance.t;
  }

  test("a reaction tally says each count in its number: 1 contrario, 2 contrari, 1 astenuto", async () => {
    const t = await translator("it");
    expect(t("plenary.reactions.tallyLine", { agree: 3, disagree: 1, abstain: 1 })).toBe(
      "3 d'accordo · 1 contrario · 1 astenuto",
    );
    expect(t("plenary.reactions.tallyLine", { agree: 1, disagree: 2, abstain: 0 })).toBe(
      "1 d'accordo · 2 contrari · 0 astenuti",
    );
    const en = await translator("en");
    expect(en("plenary.reactions.tallyLine", { agree: 1, disagree: 2, abstain: 1 })).toBe(
      "1 agrees · 2 disagree · 1 abstains",
    );
  });

  test("a date takes its article: l'8, l'11, il 1º, il 25", async () => {
    const t = await translator("it");
    expect(t("versions.savedBy", { date: "8 dicembre 2026, 10:02", name: "Ada" })).toBe(
      "salvata l'8 dicembre 2026, 10:02 da Ada",
    );
    expect(t("rollup.stale", { date: "11 marzo 2021, 09:00" })).toBe(
      "modificato nel seminario dopo l'11 marzo 2021, 09:00",
    );
    expect(t("rollup.changedAt", { date: "25 novembre 2021, 14:05" })).toBe(
      "ultima modifica il 25 novembre 2021, 14:05",
    );
    const en = await translator("en");
    expect(en("versions.savedBy", { date: "8 December 2026, 10:02", name: "Ada" })).toBe(
      "saved on 8 December 2026, 10:02 by Ada",
    );
  });

  test("a version named with quotes in it reads with the inner ones a level down", async () => {
    const t = await translator("it");
    expect(t("versions.viewTitle", { label: "Prima del ripristino di «Bozza 1»" })).toBe(
      "Versione «Prima del ripristino di “Bozza 1”»",
    );
    const label = t("versions.restoreSafetyLabel", { label: "Bozza 1" });
    expect(t("versions.restoreTitle", { label })).toBe(
      "Ripristinare la versione «Prima del ripristino di “Bozza 1”»?",
    );
  });
});

describe("presence, one entry per person (issue 22)", () => {
  const present = (clientId: number, name: string, color: string, extra: object = {}) =>
    ({ clientId, name, color, role: "facilitator", self: false, screen: false, ...extra }) as const;

  test("a person with two tabs is listed once, as oneself when one of them is this tab", () => {
    const users = [
      present(1, "Francesca", "#1f77b4"),
      present(2, "Francesca", "#1f77b4", { self: true }),
      present(3, "Marco", "#ff7f0e", { role: "participant" }),
    ];
    const listed = onePerPerson(users);
    expect(listed.map((u) => [u.name, u.self])).toEqual([
      ["Francesca", true],
      ["Marco", false],
    ]);
  });

  test("two people of the same name stay two; anonymous tabs are never merged", () => {
    const users = [
      present(1, "Anna", "#1f77b4"),
      present(2, "Anna", "#2ca02c"),
      present(3, "", "#d62728", { role: "participant" }),
      present(4, "", "#d62728", { role: "participant" }),
    ];
    expect(onePerPerson(users).map((u) => u.clientId)).toEqual([1, 2, 3, 4]);
  });
});

describe("suggested groups after grouping by hand (issue 22)", () => {
  test("answers grouped since leave the proposals, and an emptied proposal goes", () => {
    const proposals = [
      { key: 1, label: "Acqua", answerIds: ["a1", "a2", "a3"] },
      { key: 2, label: "Formazione", answerIds: ["b1", "b2"] },
    ];
    expect(withoutGrouped(proposals, new Set(["a2", "b1", "b2"]))).toEqual([
      { key: 1, label: "Acqua", answerIds: ["a1", "a3"] },
    ]);
    expect(withoutGrouped(proposals, new Set())).toEqual(proposals);
  });
});

describe("Gantt layout", () => {
  test("the seeded timeline spans March to November, one bar per activity", () => {
    const { months, bars } = layoutGantt(TOSCANA_2021.period, TOSCANA_2021.timeline);
    expect(months[0]).toBe("2021-03");
    expect(months.at(-1)).toBe("2021-11");
    expect(months).toHaveLength(9);
    expect(bars).toHaveLength(TOSCANA_2021.timeline.length);
    for (const bar of bars) {
      expect(bar.column).toBeGreaterThanOrEqual(0);
      expect(bar.column + bar.span).toBeLessThanOrEqual(months.length);
    }
  });

  test("activities are clipped to the period, and those outside it are left out", () => {
    const period = { start: "2021-03", end: "2021-06" };
    const { bars } = layoutGantt(period, [
      { id: "a", label: "before and into", start: "2021-01", end: "2021-04" },
      { id: "b", label: "into and after", start: "2021-05", end: "2021-12" },
      { id: "c", label: "outside", start: "2022-01", end: "2022-02" },
      { id: "d", label: "one month", start: "2021-04", end: "2021-04" },
    ]);
    expect(bars.map((b) => [b.activity.id, b.column, b.span])).toEqual([
      ["a", 0, 2],
      ["b", 2, 2],
      ["d", 1, 1],
    ]);
  });
});

describe("word cloud", () => {
  test("leaves out Italian and English stop words, splits elisions", async () => {
    const { wordCloud } = await import("../src/lib/wordcloud.ts");
    const words = wordCloud([
      { text: "Il riuso dell'acqua e delle filiere corte", votes: 2 },
      { text: "Filiere corte, the water of the region", votes: 0 },
      { text: "Riuso riuso riuso 2030", votes: 0 },
    ]);
    const byWord = new Map(words.map((w) => [w.word, w.weight]));
    expect(byWord.get("filiere")).toBe(2); // two answers use it
    expect(byWord.get("riuso")).toBe(2); // counted once per answer
    expect(byWord.get("acqua")).toBe(1);
    for (const stop of ["il", "dell", "delle", "the", "of", "e"])
      expect(byWord.has(stop)).toBe(false);
    expect(byWord.has("2030")).toBe(false);
    expect(words[0]!.weight).toBeGreaterThanOrEqual(words.at(-1)!.weight);
  });

  test("drops the modals and fillers of proposals", async () => {
    const { wordCloud } = await import("../src/lib/wordcloud.ts");
    const words = wordCloud([
      { text: "La Regione dovrebbe finanziare i consorzi entro il 2022", votes: 0 },
      { text: "Serve un fondo per i consorzi: bisogna fare di più", votes: 0 },
      { text: "Si potrebbe creare un tavolo, occorre anche più formazione", votes: 0 },
    ]).map((w) => w.word);
    expect(words).toContain("consorzi");
    for (const filler of [
      "dovrebbe",
      "entro",
      "serve",
      "bisogna",
      "fare",
      "più",
      "potrebbe",
      "creare",
      "occorre",
      "anche",
    ])
      expect(words).not.toContain(filler);
  });

  test("weighs a word by how many answers use it: one long, much voted answer cannot fill the cloud", async () => {
    const { wordCloud } = await import("../src/lib/wordcloud.ts");
    const long =
      "Una piattaforma digitale regionale per mappare i progetti, con indicatori condivisi, " +
      "valutazione partecipata, formazione dei volontari, comunicazione ai cittadini e bilanci aperti";
    const words = wordCloud([
      { text: long, votes: 40 },
      { text: "Formazione dei giovani nei comuni", votes: 0 },
      { text: "Formazione congiunta con le imprese", votes: 0 },
      { text: "Più formazione per le associazioni della diaspora", votes: 0 },
    ]);
    expect(words[0]).toEqual({ word: "formazione", weight: 4 });
    // Every other word of the long answer weighs one answer, whatever its votes.
    expect(words.find((w) => w.word === "piattaforma")).toEqual({ word: "piattaforma", weight: 1 });
    // Ties go to the words of the most voted answers.
    expect(words[1]!.weight).toBe(1);
    expect(long.toLowerCase()).toContain(words[1]!.word);
  });
});

describe("durations", () => {
  test("m:ss under an hour, h:mm:ss above, never negative", async () => {
    const { formatDuration } = await import("../src/lib/useNow.ts");
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(61_000)).toBe("1:01");
    expect(formatDuration(59_001)).toBe("1:00"); // a countdown rounds up
    expect(formatDuration(3_600_000 + 5_000)).toBe("1:00:05");
    expect(formatDuration(-5_000)).toBe("0:00");
  });
});

describe("a draft version's markup", () => {
  /** The tree with text only where it is, for short expectations. */
  const shape = (nodes: MarkupNode[]): unknown[] =>
    nodes.map((node) =>
      node.kind === "text" ? node.text : { [node.name]: shape(node.children), ...node.attrs },
    );

  test("reads the nodes and marks Yjs writes, attributes included", () => {
    const markup =
      '<heading level="2">Economia circolare</heading>' +
      '<paragraph>Sostenere <bold>filiere corte</bold> <answerref answerId="a1" label="Filiere (Marta)" seminarId="s2"></answerref></paragraph>' +
      "<bulletlist><listitem><paragraph>uno</paragraph></listitem></bulletlist>";
    expect(shape(parseMarkup(markup))).toEqual([
      { heading: ["Economia circolare"], level: "2" },
      {
        paragraph: [
          "Sostenere ",
          { bold: ["filiere corte"] },
          " ",
          { answerref: [], answerId: "a1", label: "Filiere (Marta)", seminarId: "s2" },
        ],
      },
      { bulletlist: [{ listitem: [{ paragraph: ["uno"] }] }] },
    ]);
  });

  test("keeps as text what Yjs did not escape: ampersands, angle brackets, stray closing tags", () => {
    const markup =
      '<paragraph>Fondi 2021 & 2023 < 5% <link href="https://a.it/?x=1&y=2">qui</link></paragraph>' +
      "<paragraph>a </bold> b</paragraph>";
    expect(shape(parseMarkup(markup))).toEqual([
      {
        paragraph: ["Fondi 2021 & 2023 < 5% ", { link: ["qui"], href: "https://a.it/?x=1&y=2" }],
      },
      { paragraph: ["a </bold> b"] },
    ]);
  });
});

describe("reconnect backoff", () => {
  test("waits a random time up to a cap that doubles, never past the maximum", () => {
    expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_MIN_MS);
    expect(reconnectDelay(0, () => 1)).toBeLessThan(reconnectDelay(2, () => 1));
    expect(reconnectDelay(30, () => 1)).toBe(RECONNECT_MAX_MS);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(5)));
    expect(spread.size).toBeGreaterThan(10); // jittered: a hall does not come back in step
  });
});
