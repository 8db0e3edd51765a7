import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { ACTOR_KINDS } from "@percorso/schema";
import type { PresenceUser } from "./collab.ts";

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
