import type { Request } from "express";
import { unauthorized } from "../errors.ts";
import type { TokenClaims, Tokens } from "../tokens.ts";

/** The caller's verified claims from `Authorization: Bearer <token>`; 401 otherwise. */
export async function requireClaims(req: Request, tokens: Tokens): Promise<TokenClaims> {
  const header = req.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const claims = await tokens.verify(match?.[1]?.trim());
  if (claims === null) throw unauthorized();
  return claims;
}
