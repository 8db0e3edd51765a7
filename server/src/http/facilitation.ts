import { Router } from "express";
import {
  effectiveRole,
  listClusters,
  listVisibleAnswers,
  seminarDocumentName,
} from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { Authenticator } from "../collab/principal.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { forbidden, notFound } from "../errors.ts";
import { requirePrincipal } from "./documents.ts";

export interface FacilitationRouteDeps {
  catalogue: Catalogue;
  auth: Authenticator;
  registry: DocumentRegistry;
}

/** What the console asks the server to work out for a facilitator. */
export function facilitationRoutes(deps: FacilitationRouteDeps): Router {
  const routes = Router();

  /** Suggested groups of a question's visible answers (issue 13): proposals, nothing written. */
  routes.post(
    "/programmes/:pid/seminars/:sid/questions/:qid/suggested-groups",
    async (req, res) => {
      const principal = await requirePrincipal(req, deps.auth);
      const found = deps.catalogue.findSeminar(req.params.pid, req.params.sid);
      if (found === undefined) {
        throw notFound(`No seminar '${req.params.sid}' in programme '${req.params.pid}'`);
      }
      const role = effectiveRole(principal.claims, {
        kind: "seminar",
        id: found.seminar.id,
        programmeId: found.programme.id,
      });
      if (role !== "admin" && role !== "facilitator") {
        throw forbidden("Only the seminar's facilitators can ask for suggested groups");
      }
      const answers = await deps.registry.read(seminarDocumentName(found.seminar.id), (doc) => {
        // Answers the facilitator already put in a group are theirs: suggestions are for the
        // rest (issue 22: grouping by hand, then asking again, proposed the same answers).
        const grouped = new Set(listClusters(doc).flatMap((cluster) => cluster.answerIds));
        return listVisibleAnswers(doc, req.params.qid)
          .filter((answer) => !grouped.has(answer.id))
          .map((answer) => ({
            id: answer.id,
            // A merged answer speaks with the words of those merged into it.
            text: [answer.text, ...answer.merged.map((merged) => merged.text)].join(" "),
          }));
      });
      // Loaded on first use: the clustering libraries are not needed to start the server.
      const { suggestGroups } = await import("../facilitation/suggestGroups.ts");
      res.json({
        questionId: req.params.qid,
        answers: answers.length,
        groups: suggestGroups(answers),
      });
    },
  );

  return routes;
}
