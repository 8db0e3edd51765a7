import type { TFunction } from "i18next";
import { ApiError } from "../lib/api.ts";

/** What to tell the drafter when a desk action fails, by what the server answered. */
export function actionFailure(t: TFunction, error: unknown): Error {
  const status = error instanceof ApiError ? error.status : -1;
  const key =
    status === 0
      ? "desk.errorOffline"
      : status === 403
        ? "desk.errorForbidden"
        : status === 404
          ? "desk.errorNotFound"
          : status === 409
            ? "desk.errorConflict"
            : "desk.errorFailed";
  return new Error(t(key));
}
