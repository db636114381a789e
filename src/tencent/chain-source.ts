import type { Credentials } from "./credentials.js";

/** What a source found: credentials and, for temporary ones, how to get new ones. */
export interface Found {
  readonly description: string;
  readonly credentials: Credentials;
  readonly renew?: () => Promise<Credentials>;
  /** Other values to mask: the keys a role was assumed with, the OIDC tokens exchanged. */
  readonly secrets?: () => string[];
}

export interface ChainSource {
  readonly name: string;
  /** Found credentials, or why not; throws ConfigError for a setting that is wrong rather than absent. */
  find(): Promise<Found | string>;
}
