import * as countries from 'i18n-iso-countries';
import { FEATURES, NUMBER_TYPES } from '../../domain/search-query';
import { COUNTRIES_WITHOUT_NUMBERING_PLAN, countryName } from './country-codes';
import { LIMIT_MAX, LIMIT_MIN, PARAMETER_RE } from './parameter-patterns';
import { closest } from './suggest';

/** What is wrong with one parameter, and what to send instead. */
export interface ParameterProblem {
  message: string;
  fix: string;
}

type Check = (value: unknown) => ParameterProblem | undefined;

const show = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/** Why a value with spaces was refused: `+` is how a query string writes a space, often by accident. */
const SPACES = 'values are taken as sent, without spaces (a + in a query string is a space)';

/** Repeated parameters arrive as arrays: a second value must not silently win or lose. */
function single(name: string, value: unknown): ParameterProblem | string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    return {
      message: `${name} was sent ${value.length} times.`,
      fix: `Send ${name} once${typeof value[0] === 'string' ? `, e.g. ${name}=${encodeURIComponent(String(value[0]).slice(0, 20))}` : ''}.`,
    };
  }
  if (typeof value !== 'string') return { message: `${name} could not be read.`, fix: `Send ${name} once, as a plain value.` };
  return value;
}

/*
 * Each check accepts a value exactly when it matches the parameter's served pattern (PARAMETER_RE); the
 * rest of each check only explains a refusal and finds the value that was probably meant.
 */

export const checkCountryCode: Check = (value) => {
  const v = single('countryCode', value);
  if (v === undefined || v === '') {
    return { message: 'countryCode is required.', fix: 'Add countryCode with an ISO 3166-1 alpha-2 code, e.g. countryCode=US.' };
  }
  if (typeof v !== 'string') return v;
  if (PARAMETER_RE.countryCode.test(v)) return undefined;
  const upper = v.trim().toUpperCase();
  if (upper !== v.toUpperCase() && PARAMETER_RE.countryCode.test(upper)) {
    return { message: `countryCode must be two letters without spaces, got ${show(v)}.`, fix: `Send countryCode=${upper}; ${SPACES}.` };
  }
  if (!/^[A-Za-z]{2}$/.test(v)) {
    const alpha2 = /^[A-Z]{3}$/.test(upper) ? countries.alpha3ToAlpha2(upper) : undefined;
    return {
      message: `countryCode must be two letters (ISO 3166-1 alpha-2), got ${show(v)}.`,
      fix: alpha2
        ? `Send countryCode=${alpha2} (${upper} is the three-letter code).`
        : 'Send a two-letter ISO 3166-1 alpha-2 code, e.g. countryCode=US, CA or GB.',
    };
  }
  if (COUNTRIES_WITHOUT_NUMBERING_PLAN.includes(upper)) {
    const name = countryName(upper) ?? upper;
    return {
      message: `countryCode ${upper} (${name}) cannot be searched: it has no telephone numbering plan of its own.`,
      fix: `No carrier sells numbers for ${name}, so no search for ${upper} can find any; search the country whose numbers you need, e.g. countryCode=US.`,
    };
  }
  return {
    message: `countryCode ${show(v)} is not an assigned ISO 3166-1 alpha-2 code.`,
    fix: upper === 'UK' ? 'Send countryCode=GB (the ISO code of the United Kingdom).' : 'Send an assigned code, e.g. countryCode=US, CA or GB.',
  };
};

export const checkFeatures: Check = (value) => {
  const v = single('features', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  if (PARAMETER_RE.features.test(v)) return undefined;
  const trimmed = v.split(',').map((s) => s.trim());
  if (/\s/.test(v) && PARAMETER_RE.features.test(trimmed.join(','))) {
    return { message: `features must not contain spaces, got ${show(v)}.`, fix: `Send features=${trimmed.join(',').toLowerCase()}; ${SPACES}.` };
  }
  const items = trimmed.map((s) => s.toLowerCase());
  if (items.some((s) => s === '')) {
    return {
      message: `features has an empty item in ${show(v)}.`,
      fix: `Send a comma-separated list without empty items, e.g. features=sms,voice, or omit features.`,
    };
  }
  const unknown = items.filter((s) => !(FEATURES as readonly string[]).includes(s));
  const guess = unknown.length > 0 ? closest(unknown[0], FEATURES) : undefined;
  return {
    message: `features has unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map(show).join(', ') || show(v)}; allowed: ${FEATURES.join(', ')}.`,
    fix: guess ? `Did you mean ${guess}? Send e.g. features=${guess}.` : `Send a comma-separated list of ${FEATURES.join(', ')}, e.g. features=sms,voice.`,
  };
};

export const checkAreaCode: Check = (value) => {
  const v = single('areaCode', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  if (PARAMETER_RE.areaCode.test(v)) return undefined;
  const digits = v.replace(/[^0-9]/g, '');
  return {
    message: `areaCode must be 1 to 6 digits, got ${show(v)}.`,
    fix:
      digits.length >= 1 && digits.length <= 6 && v.length <= 12
        ? `Send digits only: areaCode=${digits}.`
        : v === ''
          ? 'Omit areaCode or send 1 to 6 digits, e.g. areaCode=415.'
          : 'Send 1 to 6 digits without the country code, e.g. areaCode=415.',
  };
};

export const checkPhoneNumberType: Check = (value) => {
  const v = single('phoneNumberType', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  if (PARAMETER_RE.phoneNumberType.test(v)) return undefined;
  const lower = v.trim().toLowerCase();
  if ((NUMBER_TYPES as readonly string[]).includes(lower)) {
    return {
      message: `phoneNumberType must be one of ${NUMBER_TYPES.join(', ')} exactly as written (lower case, no spaces), got ${show(v)}.`,
      fix: `Send phoneNumberType=${lower}.`,
    };
  }
  const guess = closest(lower.replace(/[-\s]/g, '_'), NUMBER_TYPES);
  return {
    message: `phoneNumberType must be one of ${NUMBER_TYPES.join(', ')}, got ${show(v)}.`,
    fix: guess ? `Send phoneNumberType=${guess}.` : `Send one of ${NUMBER_TYPES.join(', ')}, or omit it for local.`,
  };
};

export const checkLimit: Check = (value) => {
  const v = single('limit', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  if (PARAMETER_RE.limit.test(v)) return undefined;
  const digits = /^\s*\+?\s*([0-9]+)\s*$/.exec(v)?.[1];
  if (digits === undefined) {
    return {
      message: `limit must be a whole number from ${LIMIT_MIN} to ${LIMIT_MAX}, got ${show(v)}.`,
      fix: `Send limit=10 (any whole number from ${LIMIT_MIN} to ${LIMIT_MAX}), or omit it for 10.`,
    };
  }
  const n = Number(digits);
  if (n < LIMIT_MIN) return { message: `limit must be at least ${LIMIT_MIN}, got ${show(v)}.`, fix: `Send limit=${LIMIT_MIN} or more (up to ${LIMIT_MAX}).` };
  if (n > LIMIT_MAX) {
    return { message: `limit must be at most ${LIMIT_MAX}, got ${show(v)}.`, fix: `Send limit=${LIMIT_MAX} or less; ${LIMIT_MAX} is the most one search returns.` };
  }
  return {
    message: `limit must be written in plain digits, without sign, spaces or leading zeros, got ${show(v)}.`,
    fix: `Send limit=${n}; ${SPACES}.`,
  };
};

/** The accepted parameters, in the order problems are reported. */
export const PARAMETER_CHECKS: Readonly<Record<string, Check>> = {
  countryCode: checkCountryCode,
  features: checkFeatures,
  areaCode: checkAreaCode,
  phoneNumberType: checkPhoneNumberType,
  limit: checkLimit,
};

export const PARAMETER_NAMES = Object.keys(PARAMETER_CHECKS);
