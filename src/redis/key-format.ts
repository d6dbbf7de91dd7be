/**
 * Bumped whenever a stored format changes (src/cache/answer-store.ts, the usage counter's script), so an
 * old entry is never read as a new one: every key is `<REDIS_KEY_PREFIX>:<version>:...`.
 */
export const FORMAT_VERSION = 'v1';
