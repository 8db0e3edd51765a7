import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import {
  ADMIN_TOKEN,
  PROGRAMME,
  api,
  documentUrl,
  inviteRecord,
  joinAs,
  rawSocket,
  useTestServer,
  type CreatedInvite,
  type TestServer,
} from "./harness.ts";
import { join } from "node:path";

/**
 * Issue 16, attacks 1 and 2, from the inside: staff roles as data (who sees, makes and revokes
 * which invites), admin grants per programme, listings without tokens, short links that are
 * their own secret, and the REST limiter keyed on the verified subject.
 */

const S1 = "s2-economia-circolare";
const S2 = "s3-crisi-umanitarie";

/** A second programme, made by the global admin (ids left to the server). */
const otherProgrammeBody = {
  title: "Percorso Mediterraneo 2027",
  subtitle: "Seminari sul Mediterraneo",
  period: { start: "2027-02", end: "2027-10" },
  place: "Livorno",
  mode: "In presenza",
  beneficiaries: "Attori della cooperazione",
  phases: [{ number: 1, title: "Confronto", description: "Seminari" }],
  timeline: [{ label: "Seminari", start: "2027-04", end: "2027-09", phase: 1 }],
  seminars: [{ number: 1, title: "Porti e migrazioni", date: "2027-06-10", facilitators: [] }],
  conference: { title: "Conferenza finale", date: "2027-10-20" },
};

interface ListedInvite {
  id: string;
  role: string;
  programmeId: string;
  seminarId: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  joined: number;
}

async function makeOtherProgramme(server: TestServer): Promise<{ id: string; seminar: string }> {
  const response = await api(server, "POST", "/api/programmes", {
    body: otherProgrammeBody,
    token: ADMIN_TOKEN,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as { id: string; seminars: { id: string }[] };
  return { id: created.id, seminar: created.seminars[0]!.id };
}

/** A person of an invite the global admin makes: the seat's personal token. */
async function seat(
  server: TestServer,
  grant: { role: string; programmeId?: string; seminarId?: string },
  name: string,
): Promise<string> {
  const created = await inviteRecord(server, grant);
  return (await joinAs(server, created.token, { name })).token;
}

const me = (server: TestServer, token: string) => api(server, "GET", "/api/me", { token });

describe("staff roles: invites from every seat (issue 16, attack 1)", () => {
  const server = useTestServer();

  const list = async (token: string, query: string) => {
    const response = await api(server, "GET", `/api/invites?${query}`, { token });
    const text = await response.text();
    return {
      status: response.status,
      text,
      rows: response.ok ? (JSON.parse(text) as ListedInvite[]) : [],
    };
  };
  const revoke = (id: string, token: string) =>
    api(server, "DELETE", `/api/invites/${encodeURIComponent(id)}`, { token });

  it("a drafter lists only the conference's participant and observer invites, and no token anywhere", async () => {
    const admin = await inviteRecord(server, { role: "admin" });
    const facilitatorWide = await inviteRecord(server, { role: "facilitator" });
    const drafterInvite = await inviteRecord(server, { role: "drafter" });
    const otherDrafter = await inviteRecord(server, { role: "drafter" });
    const conference = await inviteRecord(server, { role: "participant" });
    const screen = await inviteRecord(server, { role: "observer" });
    const seminar = await inviteRecord(server, { role: "participant", seminarId: S1 });
    const drafter = await joinAs(server, drafterInvite.token, { name: "Diana Redattrice" });
    await joinAs(server, conference.token, { name: "Carla" });
    await joinAs(server, conference.token, { name: "Dario" });

    const seen = await list(drafter.token, `programmeId=${PROGRAMME}`);
    expect(seen.status).toBe(200);
    expect(seen.rows.map((row) => [row.id, row.role, row.seminarId, row.joined])).toEqual([
      [screen.id, "observer", null, 0],
      [conference.id, "participant", null, 2],
    ]);
    expect(seen.rows[1]!.createdBy).toEqual({ id: "admin", name: "admin" });
    const everyToken = [
      admin,
      facilitatorWide,
      drafterInvite,
      otherDrafter,
      conference,
      screen,
      seminar,
    ];
    for (const made of everyToken) {
      expect(seen.text).not.toContain(made.token);
      expect(seen.text).not.toContain(new URL(made.shortUrl).pathname);
    }
    expect(seen.text).not.toMatch(/"(url|shortUrl|token|code)"/);

    // The admin's list has every invite of the programme — and no token either.
    const all = await list(ADMIN_TOKEN, `programmeId=${PROGRAMME}`);
    expect(all.rows).toHaveLength(everyToken.length);
    for (const made of everyToken) expect(all.text).not.toContain(made.token);
    expect(all.text).not.toMatch(/"(url|shortUrl|token|code)"/);

    // A drafter's conference link is shown with who made it.
    const made = await inviteRecord(server, { role: "participant" }, drafter.token);
    const again = await list(drafter.token, `programmeId=${PROGRAMME}`);
    expect(again.rows[0]).toMatchObject({
      id: made.id,
      createdBy: { id: expect.stringMatching(/^u-/), name: "Diana Redattrice" },
      joined: 0,
    });
  });

  it("a drafter cannot revoke the admin's, a facilitator's or another drafter's invite: their holders still get in", async () => {
    const adminInvite = await inviteRecord(server, { role: "admin" });
    const adminPerson = await joinAs(server, adminInvite.token, { name: "Amministratrice" });
    const facilitator = await inviteRecord(server, { role: "facilitator", seminarId: S1 });
    const otherDrafter = await inviteRecord(server, { role: "drafter" });
    const seminarParticipants = await inviteRecord(server, { role: "participant", seminarId: S1 });
    const conference = await inviteRecord(server, { role: "participant" });
    const drafter = await seat(server, { role: "drafter" }, "Diana");

    for (const target of [adminInvite, facilitator, otherDrafter, seminarParticipants]) {
      const refused = await revoke(target.id, drafter);
      expect(refused.status, target.role).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
      expect((await me(server, target.token)).status, target.role).toBe(200);
    }
    expect((await me(server, adminPerson.token)).status).toBe(200);
    const admin = await server.connect(`draft:${PROGRAMME}`, adminPerson.token);
    expect(admin.closes).toEqual([]);

    // Nor make one above their reach; the conference's own link is theirs to revoke.
    for (const role of ["admin", "facilitator", "drafter"]) {
      const made = await api(server, "POST", "/api/invites", {
        token: drafter,
        body: { role, programmeId: PROGRAMME },
      });
      expect(made.status, role).toBe(403);
    }
    expect((await revoke(conference.id, drafter)).status).toBe(204);
    expect((await me(server, conference.token)).status).toBe(401);
  });

  it("a facilitator of one seminar sees its participant and observer invites only, never another seminar's", async () => {
    const facilitatorInvite = await inviteRecord(server, { role: "facilitator", seminarId: S1 });
    const coFacilitator = await inviteRecord(server, { role: "facilitator", seminarId: S1 });
    const own = await inviteRecord(server, { role: "participant", seminarId: S1 });
    const projector = await inviteRecord(server, { role: "observer", seminarId: S1 });
    const other = await inviteRecord(server, { role: "participant", seminarId: S2 });
    const facilitator = (await joinAs(server, facilitatorInvite.token, { name: "Fabio" })).token;

    const seen = await list(facilitator, `programmeId=${PROGRAMME}&seminarId=${S1}`);
    expect(seen.rows.map((row) => row.id)).toEqual([projector.id, own.id]);
    for (const made of [facilitatorInvite, coFacilitator, own, projector, other]) {
      expect(seen.text).not.toContain(made.token);
    }
    expect((await list(facilitator, `programmeId=${PROGRAMME}&seminarId=${S2}`)).status).toBe(403);
    expect((await list(facilitator, `programmeId=${PROGRAMME}`)).status).toBe(403);
    expect((await revoke(other.id, facilitator)).status).toBe(403);
    expect((await revoke(coFacilitator.id, facilitator)).status).toBe(403);
    expect((await me(server, coFacilitator.token)).status).toBe(200);
    expect((await revoke(own.id, facilitator)).status).toBe(204);
  });

  it("an admin of one programme is nobody in another: no invites, no edits, no documents there", async () => {
    const other = await makeOtherProgramme(server);
    const adminA = await seat(server, { role: "admin" }, "Amministratrice A");
    const theirs = await inviteRecord(server, { role: "participant", programmeId: other.id });

    const create = (token: string, body: object) =>
      api(server, "POST", "/api/invites", { token, body });
    expect((await create(adminA, { role: "admin", programmeId: other.id })).status).toBe(403);
    expect(
      (
        await create(adminA, {
          role: "participant",
          programmeId: other.id,
          seminarId: other.seminar,
        })
      ).status,
    ).toBe(403);
    expect((await list(adminA, `programmeId=${other.id}`)).status).toBe(403);
    expect((await list(adminA, `programmeId=${other.id}&seminarId=${other.seminar}`)).status).toBe(
      403,
    );
    expect((await revoke(theirs.id, adminA)).status).toBe(403);
    expect((await me(server, theirs.token)).status).toBe(200);
    const edit = await api(server, "PATCH", `/api/programmes/${other.id}`, {
      token: adminA,
      body: { title: "Preso" },
    });
    expect(edit.status).toBe(403);
    expect(
      (
        await api(server, "POST", "/api/programmes", {
          token: adminA,
          body: { ...otherProgrammeBody, title: "Un altro percorso" },
        })
      ).status,
    ).toBe(403);
    const { closed } = await rawSocket(documentUrl(server, `draft:${other.id}`, adminA));
    expect(await closed).toEqual({ code: 4403, reason: "forbidden" });
    expect(
      (await api(server, "GET", `/api/programmes/${other.id}/draft/sources`, { token: adminA }))
        .status,
    ).toBe(403);

    // In their own programme they are the admin.
    expect((await create(adminA, { role: "drafter", programmeId: PROGRAMME })).status).toBe(201);
    const own = await api(server, "PATCH", `/api/programmes/${PROGRAMME}`, {
      token: adminA,
      body: { place: "Firenze" },
    });
    expect(own.status, await own.clone().text()).toBe(200);
    const draft = await server.connect(`draft:${PROGRAMME}`, adminA);
    expect(draft.closes).toEqual([]);

    // The global admin, and an admin invite made explicitly global, reach both.
    const globalInvite = await inviteRecord(server, { role: "admin", programmeId: "*" });
    const globalAdmin = (await joinAs(server, globalInvite.token, { name: "Regione" })).token;
    expect((await list(globalAdmin, `programmeId=${other.id}`)).status).toBe(200);
    expect((await create(globalAdmin, { role: "admin", programmeId: other.id })).status).toBe(201);
    // A programme admin cannot make a global admin, nor see one.
    expect((await create(adminA, { role: "admin", programmeId: "*" })).status).toBe(403);
    expect((await list(adminA, "programmeId=*")).status).toBe(403);
    expect((await list(ADMIN_TOKEN, "programmeId=*")).rows.map((row) => row.id)).toEqual([
      globalInvite.id,
    ]);
  });

  it("every invite and programme route from every seat", async () => {
    const other = await makeOtherProgramme(server);
    const seats: Record<string, string | undefined> = {
      "no token": undefined,
      participant: await seat(server, { role: "participant", seminarId: S1 }, "Paola"),
      observer: await seat(server, { role: "observer", seminarId: S1 }, "Oscar"),
      "facilitator of another seminar": await seat(
        server,
        { role: "facilitator", seminarId: S2 },
        "Franca",
      ),
      "facilitator of the seminar": await seat(
        server,
        { role: "facilitator", seminarId: S1 },
        "Fabio",
      ),
      drafter: await seat(server, { role: "drafter" }, "Diana"),
      "admin of the programme": await seat(server, { role: "admin" }, "Anna"),
      "admin of another programme": await seat(
        server,
        { role: "admin", programmeId: other.id },
        "Bruno",
      ),
      "global admin": ADMIN_TOKEN,
    };
    const fresh = () => inviteRecord(server, { role: "participant", seminarId: S1 });
    const routes: Record<string, (token: string | undefined) => Promise<Response>> = {
      "POST invite S1 participant": (token) =>
        api(server, "POST", "/api/invites", {
          token,
          body: { role: "participant", programmeId: PROGRAMME, seminarId: S1 },
        }),
      "POST invite admin": (token) =>
        api(server, "POST", "/api/invites", {
          token,
          body: { role: "admin", programmeId: PROGRAMME },
        }),
      "POST invite conference": (token) =>
        api(server, "POST", "/api/invites", {
          token,
          body: { role: "participant", programmeId: PROGRAMME },
        }),
      "GET invites S1": (token) =>
        api(server, "GET", `/api/invites?programmeId=${PROGRAMME}&seminarId=${S1}`, { token }),
      "GET invites programme": (token) =>
        api(server, "GET", `/api/invites?programmeId=${PROGRAMME}`, { token }),
      "DELETE S1 invite": async (token) =>
        api(server, "DELETE", `/api/invites/${(await fresh()).id}`, { token }),
      "POST programme": (token) =>
        api(server, "POST", "/api/programmes", {
          token,
          body: { ...otherProgrammeBody, title: `Percorso ${Math.random()}` },
        }),
      "PATCH programme": (token) =>
        api(server, "PATCH", `/api/programmes/${PROGRAMME}`, { token, body: { place: "Firenze" } }),
    };
    const table: Record<string, Record<string, number>> = {};
    for (const [route, call] of Object.entries(routes)) {
      table[route] = {};
      for (const [name, token] of Object.entries(seats)) {
        const response = await call(token);
        const text = await response.text();
        table[route][name] = response.status;
        // No answer but a create's carries a token, whoever asks.
        if (!route.startsWith("POST invite")) expect(text, `${route} / ${name}`).not.toMatch(/eyJ/);
      }
    }
    console.info(JSON.stringify(table, null, 1));
    expect(table).toEqual({
      "POST invite S1 participant": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 201,
        drafter: 403,
        "admin of the programme": 201,
        "admin of another programme": 403,
        "global admin": 201,
      },
      "POST invite admin": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 403,
        drafter: 403,
        "admin of the programme": 201,
        "admin of another programme": 403,
        "global admin": 201,
      },
      "POST invite conference": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 403,
        drafter: 201,
        "admin of the programme": 201,
        "admin of another programme": 403,
        "global admin": 201,
      },
      "GET invites S1": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 200,
        drafter: 403,
        "admin of the programme": 200,
        "admin of another programme": 403,
        "global admin": 200,
      },
      "GET invites programme": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 403,
        drafter: 200,
        "admin of the programme": 200,
        "admin of another programme": 403,
        "global admin": 200,
      },
      "DELETE S1 invite": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 204,
        drafter: 403,
        "admin of the programme": 204,
        "admin of another programme": 403,
        "global admin": 204,
      },
      "POST programme": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 403,
        drafter: 403,
        "admin of the programme": 403,
        "admin of another programme": 403,
        "global admin": 201,
      },
      "PATCH programme": {
        "no token": 401,
        participant: 403,
        observer: 403,
        "facilitator of another seminar": 403,
        "facilitator of the seminar": 403,
        drafter: 403,
        "admin of the programme": 200,
        "admin of another programme": 403,
        "global admin": 200,
      },
    });
  });
});

describe("short links are their own secret (issue 16, attack 2)", () => {
  const server = useTestServer();

  const follow = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
    return { status: response.status, location: response.headers.get("location") };
  };

  it("a facilitator who reads invite:<id> in the history cannot turn /i/<id> into a token", async () => {
    // An admin link used directly writes shared text: the log names it `invite:<id>`.
    const adminLink = await server.joinWithInvite(`seminar:${S1}`, { role: "admin" });
    adminLink.doc.getXmlFragment("recommendations").push([new Y.XmlElement("paragraph")]);
    const facilitatorInvite = await inviteRecord(server, { role: "facilitator", seminarId: S1 });
    const facilitator = (await joinAs(server, facilitatorInvite.token, { name: "Fabio" })).token;
    const historyRows = async () => {
      const response = await api(server, "GET", `/api/documents/seminar:${S1}/history`, {
        token: facilitator,
      });
      return (await response.json()) as { userId: string | null }[];
    };
    let logged: string | undefined;
    const deadline = Date.now() + 5_000;
    while (logged === undefined && Date.now() < deadline) {
      logged = (await historyRows())
        .map((row) => row.userId ?? "")
        .find((id) => id.startsWith("invite:"));
    }
    expect(logged).toBeDefined();
    const inviteId = logged!.slice("invite:".length);
    expect(await follow(`/i/${inviteId}`)).toEqual({ status: 302, location: "/join?invalid=1" });
  });

  it("the creator's short link opens the join page with the token; unknown codes do not", async () => {
    const created: CreatedInvite = await inviteRecord(server, {
      role: "participant",
      seminarId: S1,
    });
    const path = new URL(created.shortUrl).pathname;
    const code = path.slice("/i/".length);
    expect(code).not.toBe(created.id);
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const opened = await follow(path);
    expect(opened.status).toBe(302);
    expect(new URL(opened.location!, server.url).searchParams.get("token")).toBe(created.token);
    expect(await follow(`/i/${created.id}`)).toEqual({ status: 302, location: "/join?invalid=1" });
    expect(await follow(`/i/${"A".repeat(22)}`)).toEqual({
      status: 302,
      location: "/join?invalid=1",
    });
  });

  it("an invite from before short codes: its /i/<id> no longer opens, the invite itself still works", async () => {
    const created = await inviteRecord(server, { role: "participant", seminarId: S1 });
    await server.stop();
    // As it was stored before: no code, no creator.
    const storage = openSqliteStorage(join(server.dataDir, "percorso.sqlite"));
    const record = (await storage.getRecord("invite", created.id)) as Record<string, unknown>;
    delete record.code;
    delete record.createdBy;
    await storage.putRecord("invite", created.id, record);
    await storage.close();
    await server.restart();

    expect(await follow(`/i/${created.id}`)).toEqual({ status: 302, location: "/join?invalid=1" });
    expect((await me(server, created.token)).status).toBe(200);
    const listed = await api(
      server,
      "GET",
      `/api/invites?programmeId=${PROGRAMME}&seminarId=${S1}`,
      {
        token: ADMIN_TOKEN,
      },
    );
    expect(await listed.json()).toMatchObject([{ id: created.id, createdBy: null, joined: 0 }]);
  });
});

describe("the REST limiter keys on the verified subject (issue 16, attack 11)", () => {
  const server = useTestServer({ REST_RATE_PER_MINUTE: "5", REST_SHARED_RATE_FACTOR: "1" });

  it("three made-up tokens share their address's budget; a real token keeps its own", async () => {
    const person = (
      await joinAs(
        server,
        (await inviteRecord(server, { role: "participant", seminarId: S1 })).token,
        { name: "Vera" },
      )
    ).token;
    const respelled = `${person.slice(0, -2)}${person.endsWith("AA") ? "BB" : "AA"}`;
    const madeUp = ["made-up-token-1", "made-up-token-2", respelled];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await me(server, madeUp[i % 3]!)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Without a token, from the same address: the same budget, spent.
    expect((await api(server, "GET", `/api/programmes/${PROGRAMME}`)).status).toBe(429);
    // The person's verified token is its own subject.
    expect((await me(server, person)).status).toBe(200);
  });
});
