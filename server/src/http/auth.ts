import type { Request } from "express";
import { unauthorized } from "../errors.ts";
import type { Invites } from "../invites.ts";
import type { TokenClaims } from "../tokens.ts";

/** The caller's verified claims from `Authorization: Bearer <token>`; 401 otherwise. */
export async function requireClaims(req: Request, invites: Invites): Promise<TokenClaims> {
  const header = req.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const auth = await invites.authenticate(match?.[1]?.trim());
  if (!auth.ok) {
    throw auth.reason === "revoked"
      ? unauthorized("This invite link was revoked: ask the facilitator for a new one")
      : unauthorized();
  }
  return auth.claims;
}
