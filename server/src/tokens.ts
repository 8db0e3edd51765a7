import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { isRole, type Grant } from "@percorso/schema";

/**
 * Signed tokens (HS256 JWTs via `jose`) carrying a role, a programme, optionally a seminar, and
 * an expiry. An invite token is how people arrive; a personal token (DESIGN.md §4.1) adds `sub`,
 * the person's user id, and `inv`, the invite it was made from, so revoking the invite revokes
 * it. `ADMIN_TOKEN`, when configured, is accepted verbatim as admin.
 */
export interface TokenClaims extends Grant {
  /** Token id. */
  jti: string;
  /** The invite this token stands on: its own `jti` for an invite, `inv` for a personal token. */
  inviteId: string;
  /** The person's user id, on personal tokens only. */
  sub?: string;
  /** Expiry, epoch seconds; absent for tokens that do not expire. */
  exp?: number;
}

/** The admin's verbatim `ADMIN_TOKEN`: trusted automation, not an invite, never revoked. */
export const ADMIN_TOKEN_ID = "admin-token";

export interface Tokens {
  issue(grant: Grant, expiresInSeconds?: number): Promise<{ token: string; claims: TokenClaims }>;
  /** A personal token for `sub`, made from the invite `invite` (same grant, same expiry). */
  issuePersonal(invite: TokenClaims, sub: string): Promise<{ token: string; claims: TokenClaims }>;
  /** The person's anonymous id: derived from `sub` with the secret, so no peer can link them. */
  anonIdOf(sub: string): string;
  /** Another unlinkable id of `sub` for `purpose` (e.g. the colour key of their text). */
  opaqueIdOf(purpose: string, sub: string): string;
  /** The claims of a valid token, or null for a missing, malformed, forged or expired one. */
  verify(token: string | undefined | null): Promise<TokenClaims | null>;
}

/** The signing secret: `SECRET`, else one generated once into `DATA_DIR/secret`. */
export function loadSecret(configured: string | undefined, dataDir: string): Uint8Array {
  if (configured !== undefined) return new TextEncoder().encode(configured);
  const file = join(dataDir, "secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(file, "utf8").trim());
}

export function createTokens(secret: Uint8Array, adminToken: string | undefined): Tokens {
  const sign = async (
    grant: Grant,
    extra: { sub?: string; inv?: string },
    exp: number | undefined,
  ): Promise<{ token: string; claims: TokenClaims }> => {
    const jti = randomBytes(9).toString("base64url");
    const jwt = new SignJWT({
      role: grant.role,
      pid: grant.programmeId,
      ...(grant.seminarId === undefined ? {} : { sid: grant.seminarId }),
      ...(extra.inv === undefined ? {} : { inv: extra.inv }),
    })
      .setProtectedHeader({ alg: "HS256" })
      .setJti(jti)
      .setIssuedAt();
    if (extra.sub !== undefined) jwt.setSubject(extra.sub);
    if (exp !== undefined) jwt.setExpirationTime(exp);
    const token = await jwt.sign(secret);
    const claims: TokenClaims = {
      ...grant,
      jti,
      inviteId: extra.inv ?? jti,
      ...(extra.sub === undefined ? {} : { sub: extra.sub }),
      ...(exp === undefined ? {} : { exp }),
    };
    return { token, claims };
  };
  return {
    issue(grant, expiresInSeconds) {
      const exp =
        expiresInSeconds === undefined
          ? undefined
          : Math.floor(Date.now() / 1000) + expiresInSeconds;
      return sign(grant, {}, exp);
    },
    issuePersonal(invite, sub) {
      const { role, programmeId, seminarId } = invite;
      const grant: Grant = { role, programmeId, ...(seminarId === undefined ? {} : { seminarId }) };
      return sign(grant, { sub, inv: invite.inviteId }, invite.exp);
    },
    anonIdOf(sub) {
      return `a-${this.opaqueIdOf("anon", sub)}`;
    },
    opaqueIdOf(purpose, sub) {
      return createHmac("sha256", secret)
        .update(`${purpose}:${sub}`)
        .digest("base64url")
        .slice(0, 22);
    },
    async verify(token) {
      if (!token) return null;
      if (adminToken !== undefined && token === adminToken) {
        return { role: "admin", programmeId: "*", jti: ADMIN_TOKEN_ID, inviteId: ADMIN_TOKEN_ID };
      }
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
        if (!isRole(payload.role) || typeof payload.pid !== "string" || !payload.jti) return null;
        const inv = typeof payload.inv === "string" ? payload.inv : payload.jti;
        return {
          role: payload.role,
          programmeId: payload.pid,
          ...(typeof payload.sid === "string" ? { seminarId: payload.sid } : {}),
          jti: payload.jti,
          inviteId: inv,
          ...(typeof payload.sub === "string" ? { sub: payload.sub } : {}),
          ...(payload.exp === undefined ? {} : { exp: payload.exp }),
        };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}
