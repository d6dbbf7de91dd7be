import type { ValidationError } from 'class-validator';
import { AppError } from '../../errors/app-error';
import type { ParameterProblem as EnvelopeProblem } from '../../errors/error-envelope';
import { PARAMETER_CHECKS, PARAMETER_NAMES } from './parameter-checks';
import { suggestParameter } from './suggest';

const MAX_REPORTED = 10;

/**
 * Turns class-validator's findings into one validation_error envelope: every problem listed in
 * `details`, the message naming each parameter, the fix saying what to send instead.
 */
export function validationExceptionFactory(errors: ValidationError[]): AppError {
  const problems: EnvelopeProblem[] = [];
  const unknown: string[] = [];
  for (const e of errors) {
    if (e.constraints?.whitelistValidation !== undefined) {
      unknown.push(e.property);
      continue;
    }
    const problem = Object.hasOwn(PARAMETER_CHECKS, e.property) ? PARAMETER_CHECKS[e.property](e.value) : undefined;
    problems.push(
      problem
        ? { parameter: e.property, ...problem }
        : { parameter: e.property, message: `${e.property} is invalid.`, fix: 'See GET /openapi.json for the accepted values.' },
    );
  }
  return validationError(problems, unknown);
}

/**
 * One envelope for the problems of declared parameters followed by one problem per unknown parameter
 * name; `accepted` are the names an unknown one is compared with (the search's unless told).
 */
export function validationError(
  problems: readonly EnvelopeProblem[],
  unknownNames: readonly string[],
  accepted: readonly string[] = PARAMETER_NAMES,
): AppError {
  const sorted = [...problems].sort((a, b) => accepted.indexOf(a.parameter) - accepted.indexOf(b.parameter));
  const all = [...sorted, ...unknownNames.map((name) => unknownParameter(name, accepted))].slice(0, MAX_REPORTED);
  if (all.length === 0) {
    return new AppError('validation_error', 'The query is invalid.', { fix: 'See GET /openapi.json for the accepted parameters.' });
  }
  const message = all.length === 1 ? all[0].message : `${all.length} query parameters are invalid: ${all.map((p) => p.message).join(' ')}`;
  return new AppError('validation_error', message, { fix: all.map((p) => p.fix).join(' '), details: all });
}

function unknownParameter(name: string, accepted: readonly string[]): EnvelopeProblem {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  const guess = suggestParameter(name, accepted);
  return {
    parameter: shown,
    message: `Unknown query parameter ${JSON.stringify(shown)}.`,
    fix: guess
      ? `Did you mean ${guess}? Rename ${shown} to ${guess}.`
      : `Remove ${JSON.stringify(shown)}; the accepted parameters are ${accepted.join(', ')}.`,
  };
}
