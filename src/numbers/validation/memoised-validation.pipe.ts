import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { AppError } from '../../errors/app-error';
import type { ParameterProblem } from '../../errors/error-envelope';
import { Memo } from '../../memo/memo';
import { validationError } from './validation-exception.factory';

/**
 * The global ValidationPipe, with two additions for query parameters:
 *
 * - Every parameter name the DTO does not declare is refused, read from the parsed query itself.
 *   class-validator's whitelist alone misses names that are also properties of every object
 *   (`constructor`, `toString`, `__proto__`…): class-transformer drops or shadows them before the
 *   whitelist looks, so `?countryCode=US&constructor=1` would pass with the parameter ignored.
 * - The DTOs of queries already accepted are remembered: validation is a pure function of the query,
 *   and re-running class-transformer and class-validator for the same query string cost more than the
 *   rest of a cache hit. Only successes are kept (invalid input is rare and cheap to reject again); the
 *   memo's bound is in src/memo/memo-bounds.ts.
 */
export class MemoisedValidationPipe extends ValidationPipe {
  private readonly accepted = new Memo<object>('validatedQueries');
  /** Declared parameter names per DTO class: keyed by the service's own classes, so bounded by them. */
  private readonly declared = new WeakMap<object, ReadonlySet<string>>();

  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || typeof value !== 'object' || value === null || !metadata.metatype) {
      return super.transform(value, metadata);
    }
    const key = `${metadata.metatype.name}?${JSON.stringify(Object.entries(value))}`;
    const known = this.accepted.get(key);
    if (known !== undefined) return known;
    const declared = this.declaredNames(metadata.metatype);
    const unknown = Object.keys(value).filter((name) => !declared.has(name));
    if (unknown.length > 0) throw await this.withUnknown(value as Record<string, unknown>, declared, unknown, metadata);
    const dto: unknown = await super.transform(value, metadata);
    if (typeof dto === 'object' && dto !== null) this.accepted.set(key, Object.freeze(dto));
    return dto;
  }

  /** The declared parameters are still checked, so one answer lists every problem of the query. */
  private async withUnknown(
    value: Record<string, unknown>,
    declared: ReadonlySet<string>,
    unknown: string[],
    metadata: ArgumentMetadata,
  ): Promise<AppError> {
    const declaredOnly = Object.fromEntries(Object.entries(value).filter(([name]) => declared.has(name)));
    let problems: readonly ParameterProblem[] = [];
    try {
      await super.transform(declaredOnly, metadata);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'validation_error') throw e;
      problems = e.body.details ?? [];
    }
    return validationError(problems, unknown, [...declared]);
  }

  private declaredNames(metatype: NonNullable<ArgumentMetadata['metatype']>): ReadonlySet<string> {
    let names = this.declared.get(metatype);
    if (names === undefined) {
      const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
      names = new Set(metadatas.map((m) => m.propertyName));
      this.declared.set(metatype, names);
    }
    return names;
  }
}
