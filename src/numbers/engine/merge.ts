import type { AvailableNumber } from '../../domain/search-query';

/** One provider's exact, normalised numbers, in the order the provider returned them. */
export interface ProviderAnswer {
  provider: string;
  numbers: readonly AvailableNumber[];
}

/**
 * Merges answers given in priority order (highest first):
 * - one entry per E.164 number; the highest-priority provider's entry wins, and optional fields it lacks
 *   (locality, administrativeArea, features) are filled from the others, in priority order;
 * - interleaved (first of the top provider, first of the next, …, then the seconds) so no carrier crowds
 *   out the rest; truncated to `limit`.
 * Pure and deterministic: the same answers give the same list.
 */
export function mergeAnswers(answers: readonly ProviderAnswer[], limit: number): AvailableNumber[] {
  const merged = new Map<string, AvailableNumber>();
  for (const answer of answers) {
    for (const n of answer.numbers) {
      const existing = merged.get(n.phoneNumber);
      if (!existing) {
        merged.set(n.phoneNumber, { ...n, features: [...n.features] });
        continue;
      }
      if (existing.locality === undefined && n.locality !== undefined) existing.locality = n.locality;
      if (existing.administrativeArea === undefined && n.administrativeArea !== undefined) {
        existing.administrativeArea = n.administrativeArea;
      }
      if (existing.features.length === 0 && n.features.length > 0) existing.features = [...n.features];
    }
  }
  const out: AvailableNumber[] = [];
  const emitted = new Set<string>();
  const longest = Math.max(0, ...answers.map((a) => a.numbers.length));
  for (let round = 0; round < longest && out.length < limit; round++) {
    for (const answer of answers) {
      const n = answer.numbers[round];
      if (n === undefined || emitted.has(n.phoneNumber)) continue;
      emitted.add(n.phoneNumber);
      out.push(canonicalOrder(merged.get(n.phoneNumber)!));
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** Fixed key order, so equal entries serialise to equal bytes. */
function canonicalOrder(n: AvailableNumber): AvailableNumber {
  return {
    phoneNumber: n.phoneNumber,
    ...(n.locality !== undefined && { locality: n.locality }),
    ...(n.administrativeArea !== undefined && { administrativeArea: n.administrativeArea }),
    phoneNumberType: n.phoneNumberType,
    features: n.features,
  };
}
