import type { ConfigProblems, Env } from './env';

/**
 * What configuration needs to know about a carrier: its name, which of its variables are secrets, and how
 * to read its settings. The carrier definitions (src/providers) are handed to loadConfig by the
 * composition; configuration never imports them.
 */
export interface CarrierSettingsDefinition<C = unknown> {
  readonly name: string;
  /** Environment variables that hold secrets: never logged, redacted if they ever appear. */
  readonly secretEnv: readonly string[];
  /**
   * The variables this carrier is sent as HTTP Basic credentials (`user:secret`), so the encoded pair is
   * recognised and scrubbed wherever a carrier echoes it. Absent: the carrier takes no Basic credentials.
   */
  readonly basicAuthEnv?: readonly [user: string, secret: string];
  /**
   * Reads this carrier's variables. Returns undefined when its credentials are not set (the carrier is
   * disabled); reports partial or malformed settings as problems.
   */
  readConfig(env: Env, problems: ConfigProblems): C | undefined;
}

/** One enabled carrier: its definition and the settings its definition read from the environment. */
export interface EnabledCarrier<D extends CarrierSettingsDefinition = CarrierSettingsDefinition> {
  definition: D;
  settings: unknown;
}
