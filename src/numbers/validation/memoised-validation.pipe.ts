import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { Memo } from '../../memo/memo';

/**
 * The global ValidationPipe, remembering the DTOs of queries it has already accepted: validation is a pure
 * function of the query, and re-running class-transformer and class-validator for the same query string
 * cost more than the rest of a cache hit. Only successes are kept (invalid input is rare and cheap to
 * reject again), and only for query parameters; the memo's bound is in src/memo/memo-bounds.ts.
 */
export class MemoisedValidationPipe extends ValidationPipe {
  private readonly accepted = new Memo<object>('validatedQueries');

  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || typeof value !== 'object' || value === null) return super.transform(value, metadata);
    const key = `${metadata.metatype?.name ?? ''}?${JSON.stringify(Object.entries(value))}`;
    const known = this.accepted.get(key);
    if (known !== undefined) return known;
    const dto: unknown = await super.transform(value, metadata);
    if (typeof dto === 'object' && dto !== null) this.accepted.set(key, Object.freeze(dto));
    return dto;
  }
}
