import { randomBytes, timingSafeEqual } from "node:crypto";
import type { ErrorAnswer } from "./request.js";

export interface TemporaryCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string;
  readonly expiresAtMs: number;
}

/**
 * Temporary credentials the simulator issued (STS, the metadata service), so that every route
 * can accept them with their token until they expire, as the real service does.
 */
export class TemporaryCredentialBook {
  readonly #issued = new Map<string, TemporaryCredentials>();

  issue(ttlSec: number, nowMs: number): TemporaryCredentials {
    const issued: TemporaryCredentials = {
      secretId: `AKIDtmp${randomBytes(12).toString("hex")}`,
      secretKey: randomBytes(16).toString("hex"),
      token: randomBytes(24).toString("base64url"),
      expiresAtMs: nowMs + ttlSec * 1000,
    };
    this.#issued.set(issued.secretId, issued);
    return issued;
  }

  lookup(secretId: string): TemporaryCredentials | undefined {
    return this.#issued.get(secretId);
  }

  /** Why a request signed with issued credentials must be refused (bad or expired token); else undefined. */
  refusal(issued: TemporaryCredentials, token: string | undefined, nowMs: number): ErrorAnswer | undefined {
    const same = token !== undefined && token.length === issued.token.length;
    if (!same || !timingSafeEqual(Buffer.from(token), Buffer.from(issued.token))) {
      return {
        code: "AuthFailure.TokenFailure",
        message: "Token verification failed. Please check your Token is correct.",
      };
    }
    if (nowMs >= issued.expiresAtMs) {
      return {
        code: "AuthFailure.TokenFailure",
        message: `The token expired at ${new Date(issued.expiresAtMs).toISOString()}.`,
      };
    }
    return undefined;
  }
}
