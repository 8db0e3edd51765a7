import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { isRole, type Grant } from "@percorso/schema";

/**
 * Signed invite tokens (HS256 JWTs via `jose`) carrying a role, a programme, optionally a
 * seminar, and an expiry. `ADMIN_TOKEN`, when configured, is accepted verbatim as admin.
 */
export interface TokenClaims extends Grant {
  /** Token id, so a token can be revoked. */
  jti: string;
  /** Expiry, epoch seconds; absent for tokens that do not expire. */
  exp?: number;
}

export interface Tokens {
  issue(grant: Grant, expiresInSeconds?: number): Promise<{ token: string; claims: TokenClaims }>;
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
  return {
    async issue(grant, expiresInSeconds) {
      const jti = randomBytes(9).toString("base64url");
      const jwt = new SignJWT({
        role: grant.role,
        pid: grant.programmeId,
        ...(grant.seminarId === undefined ? {} : { sid: grant.seminarId }),
      })
        .setProtectedHeader({ alg: "HS256" })
        .setJti(jti)
        .setIssuedAt();
      const exp =
        expiresInSeconds === undefined
          ? undefined
          : Math.floor(Date.now() / 1000) + expiresInSeconds;
      if (exp !== undefined) jwt.setExpirationTime(exp);
      const token = await jwt.sign(secret);
      return { token, claims: { ...grant, jti, ...(exp === undefined ? {} : { exp }) } };
    },
    async verify(token) {
      if (!token) return null;
      if (adminToken !== undefined && token === adminToken) {
        return { role: "admin", programmeId: "*", jti: "admin-token" };
      }
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
        if (!isRole(payload.role) || typeof payload.pid !== "string" || !payload.jti) return null;
        return {
          role: payload.role,
          programmeId: payload.pid,
          ...(typeof payload.sid === "string" ? { seminarId: payload.sid } : {}),
          jti: payload.jti,
          ...(payload.exp === undefined ? {} : { exp: payload.exp }),
        };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}
