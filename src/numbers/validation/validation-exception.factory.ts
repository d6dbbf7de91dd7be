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
  const unknown: EnvelopeProblem[] = [];
  for (const e of errors) {
    if (e.constraints?.whitelistValidation !== undefined) {
      unknown.push(unknownParameter(e.property));
      continue;
    }
    const problem = PARAMETER_CHECKS[e.property]?.(e.value);
    problems.push(
      problem
        ? { parameter: e.property, ...problem }
        : { parameter: e.property, message: `${e.property} is invalid.`, fix: 'See GET /openapi.json for the accepted values.' },
    );
  }
  problems.sort((a, b) => PARAMETER_NAMES.indexOf(a.parameter) - PARAMETER_NAMES.indexOf(b.parameter));
  const all = [...problems, ...unknown].slice(0, MAX_REPORTED);
  if (all.length === 0) {
    return new AppError('validation_error', 'The query is invalid.', { fix: 'See GET /openapi.json for the accepted parameters.' });
  }
  const message = all.length === 1 ? all[0].message : `${all.length} query parameters are invalid: ${all.map((p) => p.message).join(' ')}`;
  return new AppError('validation_error', message, { fix: all.map((p) => p.fix).join(' '), details: all });
}

function unknownParameter(name: string): EnvelopeProblem {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  const guess = suggestParameter(name, PARAMETER_NAMES);
  return {
    parameter: shown,
    message: `Unknown query parameter ${JSON.stringify(shown)}.`,
    fix: guess
      ? `Did you mean ${guess}? Rename ${shown} to ${guess}.`
      : `Remove ${shown}; the accepted parameters are ${PARAMETER_NAMES.join(', ')}.`,
  };
}
