import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';

/** Distinct valid queries remembered; callers repeat a small set of searches. */
const MAX_ENTRIES = 1000;

/**
 * The global ValidationPipe, remembering the DTOs of queries it has already accepted: validation is a pure
 * function of the query, and re-running class-transformer and class-validator for the same query string
 * cost more than the rest of a cache hit. Only successes are kept (invalid input is rare and cheap to
 * reject again), and only for query parameters.
 */
export class MemoisedValidationPipe extends ValidationPipe {
  private readonly accepted = new Map<string, unknown>();

  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || typeof value !== 'object' || value === null) return super.transform(value, metadata);
    const key = `${metadata.metatype?.name ?? ''}?${JSON.stringify(Object.entries(value))}`;
    const known = this.accepted.get(key);
    if (known !== undefined) return known;
    const dto = await super.transform(value, metadata);
    this.accepted.set(key, Object.freeze(dto));
    if (this.accepted.size > MAX_ENTRIES) this.accepted.delete(this.accepted.keys().next().value as string);
    return dto;
  }
}
