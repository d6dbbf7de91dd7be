/**
 * Last line of defence: replaces any configured secret (API keys, carrier tokens) that made it into a log
 * line, wherever it sits. Secrets are short and few, so a substring scan per line is cheap.
 */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    const encoded = Buffer.from(s).toString('base64');
    if (out.includes(encoded)) out = out.split(encoded).join('[REDACTED]');
  }
  return out;
}
