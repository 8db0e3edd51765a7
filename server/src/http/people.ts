import { Router } from "express";
import { z } from "zod";
import { ACTOR_KINDS, doorOf } from "@percorso/schema";
import { invalidInput } from "../errors.ts";
import type { Invites } from "../invites.ts";
import type { ClientIdDirectory } from "../clientIdDirectory.ts";
import type { People } from "../people.ts";
import { requireClaims } from "./auth.ts";
import { parseInput } from "./validation.ts";

export interface PeopleRouteDeps {
  invites: Invites;
  people: People;
  clientIds: ClientIdDirectory;
}

const joinSchema = z
  .object({
    name: z.string().trim().max(80).default(""),
    actorKind: z.enum(ACTOR_KINDS).default("other"),
    anonymous: z.boolean().default(false),
  })
  .refine((join) => join.anonymous || join.name !== "", {
    path: ["name"],
    message: "A name is needed unless you join anonymously",
  });

/**
 * People (DESIGN.md §4.1): `POST /api/join` turns an invite into a person with a personal
 * token; `GET /api/me` says who a token is. Both hand a person a fresh pair of Yjs client ids,
 * already bound to them (`clientIds: { named, anonymous }`; null for a token with no person, and
 * past `MAX_CLIENT_ID_PAIRS_PER_PERSON`).
 */
export function peopleRoutes(deps: PeopleRouteDeps): Router {
  const routes = Router();

  routes.post("/join", async (req, res) => {
    const claims = await requireClaims(req, deps.invites);
    if (claims.sub !== undefined) {
      throw invalidInput("This is already a personal token: join with the invite link instead");
    }
    const details = parseInput(joinSchema, req.body ?? {}, "join request");
    // The door of the invite's role (the join page asks the same): anonymity is for
    // participants' answers and an observer's presence; staff sign what they do.
    if (details.anonymous && doorOf(claims).name === "required") {
      throw invalidInput("This role signs its work: join with a name", {
        anonymous: [`A ${claims.role} cannot join anonymously`],
      });
    }
    const { person, token, claims: personal } = await deps.people.join(claims, details);
    res.status(201).json({
      token,
      userId: person.id,
      anonId: person.anonId,
      role: personal.role,
      programmeId: personal.programmeId,
      seminarId: personal.seminarId ?? null,
      expiresAt: personal.exp ?? null,
      inviteId: personal.inviteId,
      name: person.name,
      actorKind: person.actorKind,
      anonymous: person.anonymous,
      clientIds: await deps.clientIds.allocate(person.id),
    });
  });

  /** Who a token is: the join page checks a link before asking for a name. */
  routes.get("/me", async (req, res) => {
    const claims = await requireClaims(req, deps.invites);
    const person = claims.sub === undefined ? undefined : deps.people.get(claims.sub);
    res.json({
      role: claims.role,
      programmeId: claims.programmeId,
      seminarId: claims.seminarId ?? null,
      expiresAt: claims.exp ?? null,
      inviteId: claims.inviteId,
      userId: person?.id ?? null,
      anonId: person?.anonId ?? null,
      name: person?.name ?? null,
      actorKind: person?.actorKind ?? null,
      anonymous: person?.anonymous ?? false,
      clientIds: person === undefined ? null : await deps.clientIds.allocate(person.id),
    });
  });

  return routes;
}
