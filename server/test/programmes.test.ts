import { describe, expect, it } from "vitest";
import { listQuestions, listSections, readSession, textOf } from "@percorso/schema";
import * as Y from "yjs";
import { ADMIN_TOKEN, PROGRAMME, api, inviteRecord, useTestServer } from "./harness.ts";

/** A programme as an admin would send it, ids left to the server. */
const programmeBody = () => ({
  title: "Percorso Mediterraneo 2027",
  subtitle: "Seminari sul Mediterraneo",
  period: { start: "2027-02", end: "2027-10" },
  place: "Livorno",
  mode: "In presenza",
  beneficiaries: "Attori della cooperazione",
  phases: [
    { number: 1, title: "Analisi", description: "Raccolta materiali" },
    { number: 2, title: "Confronto", description: "Seminari" },
  ],
  timeline: [
    { label: "Analisi sullo stato dell'arte", start: "2027-02", end: "2027-03", phase: 1 },
    { id: "seminari", label: "Seminari", start: "2027-04", end: "2027-09", phase: 2 },
  ],
  seminars: [
    {
      number: 2,
      title: "Porti e migrazioni",
      date: "2027-06-10",
      facilitators: ["Giulia Neri"],
    },
    {
      number: 1,
      title: "Città costiere e clima",
      date: "2027-04-15",
      facilitators: ["Marco Rossi", "Anna Bianchi"],
      starterQuestions: ["Quali città si stanno adattando meglio?", "Con quali risorse?"],
    },
  ],
  conference: { title: "Conferenza finale", date: "2027-10-20" },
});

interface Described {
  id: string;
  title: string;
  document: string;
  draftDocument: string;
  timeline: { id: string; label: string }[];
  draftChapters: string[];
  seminars: {
    id: string;
    number: number;
    title: string;
    date: string;
    facilitators: string[];
    document: string;
    status: string;
  }[];
}

describe("programme administration", () => {
  const server = useTestServer();

  const create = (body: unknown, token = ADMIN_TOKEN) =>
    api(server, "POST", "/api/programmes", { body, token });
  const patch = (id: string, body: unknown, token = ADMIN_TOKEN) =>
    api(server, "PATCH", `/api/programmes/${id}`, { body, token });
  const describeProgramme = async (id: string) =>
    (await (await api(server, "GET", `/api/programmes/${id}`)).json()) as Described;
  const details = async (response: Response) => {
    const body = (await response.json()) as { error: { code: string; details?: unknown } };
    expect(body.error.code).toBe("invalid_input");
    return body.error.details as Record<string, string[]>;
  };
  const synced = async (name: string): Promise<Y.Doc> =>
    (await server.connect(name, ADMIN_TOKEN)).doc;

  it("creates a programme with ids made from titles, answering like GET /api/programmes/:id", async () => {
    const response = await create(programmeBody());
    expect(response.status).toBe(201);
    const created = (await response.json()) as Described;
    expect(created.id).toBe("percorso-mediterraneo-2027");
    expect(created.draftDocument).toBe("draft:percorso-mediterraneo-2027");
    expect(created.seminars.map((s) => [s.number, s.id, s.status])).toEqual([
      [1, "s1-citta-costiere-e-clima", "scheduled"],
      [2, "s2-porti-e-migrazioni", "scheduled"],
    ]);
    expect(created.seminars[0]!.facilitators).toEqual(["Marco Rossi", "Anna Bianchi"]);
    expect(created.timeline.map((t) => t.id)).toEqual([
      "analisi-sullo-stato-dell-arte",
      "seminari",
    ]);
    expect(created.draftChapters).toEqual([
      "Introduzione e metodo",
      "Città costiere e clima",
      "Porti e migrazioni",
      "Conclusioni e prossimi passi",
    ]);
    expect(await describeProgramme(created.id)).toEqual(created);
    const list = (await (await api(server, "GET", "/api/programmes")).json()) as { id: string }[];
    expect(list.map((p) => p.id)).toContain(created.id);
  });

  it("initialises the new seminar and draft documents like the seeded programme's", async () => {
    const created = (await (await create(programmeBody())).json()) as Described;
    const seminar = await synced(created.seminars[0]!.document);
    expect(readSession(seminar)).toMatchObject({ status: "scheduled", phase: 1 });
    expect(listQuestions(seminar).map((q) => [q.text, q.state])).toEqual([
      // Drafts, like the seed's, until the facilitator opens them (issue 22).
      ["Quali città si stanno adattando meglio?", "draft"],
      ["Con quali risorse?", "draft"],
    ]);
    const headings = seminar
      .getXmlFragment("recommendations")
      .toArray()
      .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement)
      .filter((node) => node.nodeName === "heading")
      .map((node) => textOf(node));
    expect(headings).toEqual([
      "Nuovi temi su cui lavorare",
      "Nuovi processi e metodologie di governance",
    ]);
    const draft = await synced(created.draftDocument);
    expect(listSections(draft).map((s) => s.title)).toEqual(created.draftChapters);
  });

  it("keeps a created programme and its documents across a restart, without seeding again", async () => {
    const created = (await (await create(programmeBody())).json()) as Described;
    await server.restart();
    expect(await describeProgramme(created.id)).toEqual(created);
    const seminar = await synced(created.seminars[0]!.document);
    expect(listQuestions(seminar)).toHaveLength(2);
    const seed = await describeProgramme(PROGRAMME);
    expect(seed.seminars).toHaveLength(7);
  });

  it("lets people join the new programme's seminars by invite", async () => {
    const created = (await (await create(programmeBody())).json()) as Described;
    const seminar = created.seminars[1]!;
    const participant = await inviteRecord(server, {
      role: "participant",
      programmeId: created.id,
      seminarId: seminar.id,
    });
    const client = await server.connect(seminar.document, participant.token);
    expect(client.closes).toEqual([]);
  });

  it("400 with an error per field for an invalid programme", async () => {
    const body = programmeBody();
    const response = await create({
      ...body,
      title: "  ",
      period: { start: "2027-02", end: "2027-13" },
      place: undefined,
      phases: [{ number: 5, title: "Troppo", description: "" }],
      timeline: [{ label: "Al contrario", start: "2027-05", end: "2027-03" }],
      seminars: [
        { ...body.seminars[0]!, date: "2027-02-30" },
        { ...body.seminars[1]!, number: 2, id: "Non Valido" },
      ],
      conference: { title: "Conferenza" },
    });
    expect(response.status).toBe(400);
    const errors = await details(response);
    expect(Object.keys(errors).sort()).toEqual(
      [
        "conference.date",
        "period.end",
        "phases.0.number",
        "place",
        "seminars.0.date",
        "seminars.1.id",
        "title",
      ].sort(),
    );
  });

  it("400 for months and dates outside the period, twice-used numbers and ids", async () => {
    const body = programmeBody();
    const response = await create({
      ...body,
      id: "mediterraneo",
      timeline: [
        { id: "a", label: "Prima", start: "2027-01", end: "2027-03" },
        { id: "a", label: "Al contrario", start: "2027-05", end: "2027-04" },
      ],
      seminars: [
        { ...body.seminars[0]!, date: "2027-11-02" },
        { ...body.seminars[1]!, number: 2 },
      ],
      draftChapters: ["Introduzione", "introduzione"],
    });
    expect(response.status).toBe(400);
    const errors = await details(response);
    expect(errors["timeline.0.start"]![0]).toMatch(/period/);
    expect(errors["timeline.1.end"]![0]).toMatch(/before it starts/);
    expect(errors["timeline.1.id"]![0]).toMatch(/twice/);
    expect(errors["seminars.0.date"]![0]).toMatch(/period/);
    expect(errors["seminars.1.number"]![0]).toMatch(/number/);
    expect(errors["draftChapters.1"]).toBeDefined();
    expect((await api(server, "GET", "/api/programmes/mediterraneo")).status).toBe(404);
  });

  it("409 when the programme id or a seminar id is taken", async () => {
    const taken = await create({ ...programmeBody(), id: PROGRAMME });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: "conflict" } });
    const body = programmeBody();
    const seminarTaken = await create({
      ...body,
      id: "altro",
      seminars: [{ ...body.seminars[0]!, id: "s1-governance" }],
    });
    expect(seminarTaken.status).toBe(409);
    expect(await seminarTaken.json()).toMatchObject({
      error: { code: "conflict", details: { "seminars.0.id": expect.any(Array) } },
    });
    expect((await create(programmeBody())).status).toBe(201);
    expect((await create(programmeBody())).status).toBe(409);
  });

  it("generated seminar ids never collide with another programme's", async () => {
    const body = programmeBody();
    const response = await create({
      ...body,
      seminars: [{ ...body.seminars[0]!, number: 1, title: "Governance" }],
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Described;
    expect(created.seminars[0]!.id).toBe("s1-governance-2");
  });

  it("401 without a token and 403 for anyone but an admin", async () => {
    const unauthenticated = await api(server, "POST", "/api/programmes", {
      body: programmeBody(),
    });
    expect(unauthenticated.status).toBe(401);
    const facilitator = await inviteRecord(server, {
      role: "facilitator",
      seminarId: "s1-governance",
    });
    const drafter = await inviteRecord(server, { role: "drafter" });
    for (const token of [facilitator.token, drafter.token]) {
      expect((await create(programmeBody(), token)).status).toBe(403);
      expect((await patch(PROGRAMME, { title: "Nuovo titolo" }, token)).status).toBe(403);
    }
    expect((await patch(PROGRAMME, { title: "Nuovo titolo" })).status).toBe(200);
  });

  it("describes each seminar's facilitators (empty for the seed)", async () => {
    const seed = await describeProgramme(PROGRAMME);
    expect(seed.seminars.every((s) => Array.isArray(s.facilitators))).toBe(true);
  });

  it("PATCH edits the programme and a seminar's title, date and facilitators, durably", async () => {
    const response = await patch(PROGRAMME, {
      title: "Un nuovo orientamento (rivisto)",
      place: "Firenze e online",
      seminars: [
        {
          id: "s3-crisi-umanitarie",
          title: "Crisi umanitarie e resilienza",
          date: "2021-06-24",
          facilitators: ["Sara Verdi"],
        },
      ],
    });
    expect(response.status).toBe(200);
    const edited = (await response.json()) as Described;
    expect(edited.title).toBe("Un nuovo orientamento (rivisto)");
    const seminar = edited.seminars.find((s) => s.id === "s3-crisi-umanitarie")!;
    expect(seminar).toMatchObject({
      title: "Crisi umanitarie e resilienza",
      date: "2021-06-24",
      facilitators: ["Sara Verdi"],
      document: "seminar:s3-crisi-umanitarie",
    });
    await server.restart();
    expect(await describeProgramme(PROGRAMME)).toEqual(edited);
  });

  it("PATCH refuses dates outside the period, a period that leaves seminars out, unknown seminars", async () => {
    const outside = await patch(PROGRAMME, {
      seminars: [{ id: "s3-crisi-umanitarie", date: "2022-01-10" }],
    });
    expect(outside.status).toBe(400);
    expect(Object.keys(await details(outside))).toEqual(["seminars.0.date"]);

    const shrunk = await patch(PROGRAMME, { period: { start: "2021-05", end: "2021-11" } });
    expect(shrunk.status).toBe(400);
    expect((await details(shrunk)).period!.join(" ")).toMatch(/Seminar 1/);

    const unknown = await patch(PROGRAMME, { seminars: [{ id: "s9-nulla", title: "X" }] });
    expect(unknown.status).toBe(400);
    expect(Object.keys(await details(unknown))).toEqual(["seminars.0.id"]);

    const empty = await patch(PROGRAMME, { title: "" });
    expect(empty.status).toBe(400);
    expect(Object.keys(await details(empty))).toEqual(["title"]);

    expect((await patch("nessuno", { title: "X" })).status).toBe(404);
    const seed = await describeProgramme(PROGRAMME);
    expect(seed.title).not.toBe("X");
    expect(seed.seminars.find((s) => s.id === "s3-crisi-umanitarie")!.date).toBe("2021-06-17");
  });
});
