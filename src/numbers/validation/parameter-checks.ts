import * as countries from 'i18n-iso-countries';
import { FEATURES, NUMBER_TYPES } from '../../domain/search-query';
import { closest } from './suggest';

/** What is wrong with one parameter, and what to send instead. */
export interface ParameterProblem {
  message: string;
  fix: string;
}

type Check = (value: unknown) => ParameterProblem | undefined;

const show = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

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

export const checkCountryCode: Check = (value) => {
  const v = single('countryCode', value);
  if (v === undefined || v === '') {
    return { message: 'countryCode is required.', fix: 'Add countryCode with an ISO 3166-1 alpha-2 code, e.g. countryCode=US.' };
  }
  if (typeof v !== 'string') return v;
  const upper = v.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) {
    const alpha2 = /^[A-Z]{3}$/.test(upper) ? countries.alpha3ToAlpha2(upper) : undefined;
    return {
      message: `countryCode must be two letters (ISO 3166-1 alpha-2), got ${show(v)}.`,
      fix: alpha2
        ? `Send countryCode=${alpha2} (${upper} is the three-letter code).`
        : 'Send a two-letter ISO 3166-1 alpha-2 code, e.g. countryCode=US, CA or GB.',
    };
  }
  if (!countries.isValid(upper)) {
    return {
      message: `countryCode ${show(v)} is not an assigned ISO 3166-1 alpha-2 code.`,
      fix: upper === 'UK' ? 'Send countryCode=GB (the ISO code of the United Kingdom).' : 'Send an assigned code, e.g. countryCode=US, CA or GB.',
    };
  }
  return undefined;
};

export const checkFeatures: Check = (value) => {
  const v = single('features', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  const items = v.split(',').map((s) => s.trim().toLowerCase());
  if (items.some((s) => s === '')) {
    return {
      message: `features has an empty item in ${show(v)}.`,
      fix: `Send a comma-separated list without empty items, e.g. features=sms,voice, or omit features.`,
    };
  }
  const unknown = items.filter((s) => !(FEATURES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    const guess = closest(unknown[0], FEATURES);
    return {
      message: `features has unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map(show).join(', ')}; allowed: ${FEATURES.join(', ')}.`,
      fix: guess ? `Did you mean ${guess}? Send e.g. features=${guess}.` : `Send a comma-separated list of ${FEATURES.join(', ')}, e.g. features=sms,voice.`,
    };
  }
  return undefined;
};

export const checkAreaCode: Check = (value) => {
  const v = single('areaCode', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  if (!/^[0-9]{1,6}$/.test(v)) {
    const digits = v.replace(/\D/g, '');
    return {
      message: `areaCode must be 1 to 6 digits, got ${show(v)}.`,
      fix:
        digits.length >= 1 && digits.length <= 6 && v.length <= 12
          ? `Send digits only: areaCode=${digits}.`
          : v === ''
            ? 'Omit areaCode or send 1 to 6 digits, e.g. areaCode=415.'
            : 'Send 1 to 6 digits without the country code, e.g. areaCode=415.',
    };
  }
  return undefined;
};

export const checkPhoneNumberType: Check = (value) => {
  const v = single('phoneNumberType', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  if (!(NUMBER_TYPES as readonly string[]).includes(v.trim().toLowerCase())) {
    const guess = closest(v.trim().toLowerCase().replace(/[-\s]/g, '_'), NUMBER_TYPES);
    return {
      message: `phoneNumberType must be one of ${NUMBER_TYPES.join(', ')}, got ${show(v)}.`,
      fix: guess ? `Send phoneNumberType=${guess}.` : `Send one of ${NUMBER_TYPES.join(', ')}, or omit it for local.`,
    };
  }
  return undefined;
};

export const checkLimit: Check = (value) => {
  const v = single('limit', value);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!/^\d+$/.test(t)) {
    return { message: `limit must be a whole number from 1 to 50, got ${show(v)}.`, fix: 'Send limit=10 (any whole number from 1 to 50), or omit it for 10.' };
  }
  const n = Number(t);
  if (n < 1) return { message: `limit must be at least 1, got ${show(v)}.`, fix: 'Send limit=1 or more (up to 50).' };
  if (n > 50) return { message: `limit must be at most 50, got ${show(v)}.`, fix: 'Send limit=50 or less; 50 is the most one search returns.' };
  return undefined;
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
