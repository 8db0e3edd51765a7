import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { ACTOR_KINDS } from "@percorso/schema";
import type { PresenceUser } from "./collab.ts";
import type { PresentUser } from "./useY.ts";

/**
 * Whether someone present is a person in the room: projectors and observers follow the
 * seminar but are not counted among the people present, nor listed with them.
 */
export const isPerson = (user: PresentUser): boolean => !user.screen && user.role !== "observer";

/**
 * Whether a person present is one of the room's participants, for the figures by kind of actor:
 * the facilitators running it (and admins) are not counted as what they might represent.
 */
export const isParticipant = (user: PresentUser): boolean =>
  isPerson(user) && user.role !== "facilitator" && user.role !== "admin";

/**
 * How a present person is named: their name, or "anonimo" and their kind of actor when they
 * joined anonymously (an empty name). Used by the presence list and the editor's carets.
 */
export function usePresenceLabel(): (user: Pick<PresenceUser, "name" | "actorKind">) => string {
  const { t } = useTranslation();
  return useCallback(
    (user) => {
      if (user.name.trim() !== "") return user.name;
      return (ACTOR_KINDS as readonly unknown[]).includes(user.actorKind)
        ? t("presence.anonymousActor", { actor: t(`actor.${user.actorKind}`) })
        : t("presence.anonymous");
    },
    [t],
  );
}

/**
 * One entry per person (issue 22: a facilitator with two tabs was listed twice). A named
 * person's tabs announce the same name and the same colour (derived from their user id, see
 * `identity.ts`), so those two together stand for the person; a tab of one's own counts as
 * oneself. Anonymous presences carry no name and a colour of their own per session: nothing
 * ties two of them to one person, and nothing should, so each stays an entry.
 */
export function onePerPerson<T extends PresentUser>(users: readonly T[]): T[] {
  const byPerson = new Map<string, T>();
  for (const user of users) {
    const key =
      user.name.trim() === ""
        ? `client:${user.clientId}`
        : JSON.stringify([user.name, user.color, user.role ?? "", user.screen]);
    const seen = byPerson.get(key);
    if (seen === undefined) byPerson.set(key, user);
    else if (user.self && !seen.self) byPerson.set(key, user);
  }
  return [...byPerson.values()];
}
