import { Router } from "express";
import { isAdminOf, isGlobalAdmin } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import { forbidden, invalidInput, notFound } from "../errors.ts";
import type { Invites } from "../invites.ts";
import { requireClaims } from "./auth.ts";
import {
  applyPatch,
  createProgrammeSchema,
  patchProgrammeSchema,
  programmeFromInput,
  programmeIssues,
} from "./programmeInput.ts";
import { fieldErrors, parseInput } from "./validation.ts";

export interface ProgrammeRouteDeps {
  catalogue: Catalogue;
  invites: Invites;
}

/**
 * Programme administration: a global admin creates a programme with its seminars; an admin of
 * a programme (or a global one) edits it.
 */
export function programmeRoutes(deps: ProgrammeRouteDeps): Router {
  const routes = Router();

  routes.post("/programmes", async (req, res) => {
    // A new programme is nobody's yet: only an admin of every programme makes one.
    const claims = await requireClaims(req, deps.invites);
    if (!isGlobalAdmin(claims)) throw forbidden("Only a global admin can create programmes");
    const input = parseInput(createProgrammeSchema, req.body, "programme");
    const programme = programmeFromInput(input, (id) => deps.catalogue.hasSeminar(id));
    await deps.catalogue.add(programme);
    res.status(201).json(deps.catalogue.describe(programme));
  });

  routes.patch("/programmes/:id", async (req, res) => {
    const claims = await requireClaims(req, deps.invites);
    if (!isAdminOf(claims, req.params.id)) {
      throw forbidden("Only an admin of this programme can edit it");
    }
    const current = deps.catalogue.get(req.params.id);
    if (current === undefined) throw notFound(`No programme '${req.params.id}'`);
    const patch = parseInput(patchProgrammeSchema, req.body, "programme edit");
    const patchIndex = new Map((patch.seminars ?? []).map((s, index) => [s.id, index]));
    const unknown = (patch.seminars ?? []).flatMap((edit, index) =>
      current.seminars.some((s) => s.id === edit.id)
        ? []
        : [{ path: ["seminars", index, "id"], message: "No such seminar in this programme" }],
    );
    if (unknown.length > 0) throw invalidInput("Invalid programme edit", fieldErrors(unknown));

    const updated = applyPatch(current, patch);
    // Issues are found on the edited programme; report them against the fields of the edit.
    const issues = programmeIssues(updated).map((issue) => {
      const [list, index, field] = issue.path;
      if (list === "seminars" && typeof index === "number") {
        const seminar = updated.seminars[index]!;
        const edited = patchIndex.get(seminar.id);
        if (edited !== undefined && field === "date" && patch.seminars?.[edited]?.date) {
          return { path: ["seminars", edited, "date"], message: issue.message };
        }
        return {
          path: ["period"],
          message: `Seminar ${seminar.number} (${seminar.date}) would fall outside the period`,
        };
      }
      if (list === "timeline" && typeof index === "number") {
        const activity = updated.timeline[index]!;
        return { path: ["period"], message: `The activity '${activity.label}' would fall outside` };
      }
      return issue;
    });
    if (issues.length > 0) throw invalidInput("Invalid programme edit", fieldErrors(issues));
    await deps.catalogue.update(updated);
    res.json(deps.catalogue.describe(updated));
  });

  return routes;
}
