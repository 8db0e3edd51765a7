import { describe, expect, it } from "vitest";
import {
  innerQuotes,
  italianDate,
  italianDateWithArticle,
  plural,
  quoted,
  withDateArticle,
} from "../src/index.ts";

/** The Italian of the reports and exports (issue 22, item 9): plurals, date articles, quotes. */
describe("plural", () => {
  it("says one in the singular and every other count in the plural", () => {
    expect(plural(1, "contrario", "contrari")).toBe("1 contrario");
    expect(plural(0, "contrario", "contrari")).toBe("0 contrari");
    expect(plural(2, "astenuto", "astenuti")).toBe("2 astenuti");
    expect(plural(1, "astenuto", "astenuti")).toBe("1 astenuto");
    expect(plural(11, "voto", "voti")).toBe("11 voti");
  });
});

describe("the article before a date", () => {
  it("elides before otto and undici, keeps il elsewhere (il 1º too)", () => {
    expect(italianDateWithArticle("2026-12-08")).toBe("l'8 dicembre 2026");
    expect(italianDateWithArticle("2021-03-11")).toBe("l'11 marzo 2021");
    expect(italianDateWithArticle("2021-05-01")).toBe("il 1º maggio 2021");
    expect(italianDateWithArticle("2021-11-25")).toBe("il 25 novembre 2021");
    expect(italianDateWithArticle("2021-11-18")).toBe("il 18 novembre 2021");
    expect(italianDateWithArticle("2021-11-28")).toBe("il 28 novembre 2021");
  });

  it("joins the preposition: dell'8, del 25, all'11, al 3", () => {
    expect(italianDateWithArticle("2026-12-08", "del")).toBe("dell'8 dicembre 2026");
    expect(italianDateWithArticle("2021-11-25", "del")).toBe("del 25 novembre 2021");
    expect(italianDateWithArticle("2021-03-11", "al")).toBe("all'11 marzo 2021");
    expect(italianDateWithArticle("2021-03-03", "al")).toBe("al 3 marzo 2021");
  });

  it("works on a moment, in Florence's time, and on dates the browser wrote", () => {
    const eighth = Date.UTC(2026, 11, 8, 9, 0);
    expect(italianDateWithArticle(eighth)).toBe(`l'${italianDate(eighth)}`);
    expect(withDateArticle("8/12/2026, 10:02:00")).toBe("l'8/12/2026, 10:02:00");
    expect(withDateArticle("11 dic, 10:02")).toBe("l'11 dic, 10:02");
    expect(withDateArticle("18 dicembre")).toBe("il 18 dicembre");
  });
});

describe("quotes inside a quoted name", () => {
  it("take the inner quotes one level down, never «…«…»»", () => {
    expect(quoted("Bozza per la conferenza")).toBe("«Bozza per la conferenza»");
    expect(quoted("Prima del ripristino di «Bozza 1»")).toBe("«Prima del ripristino di “Bozza 1”»");
    expect(innerQuotes("detto “così”")).toBe("detto ‘così’");
  });
});
