import type { OwnedNumber } from '../core/account';
import { type CarrierContext, type EmuRequest, type EmuResponse, json, type OperationKind } from '../core/carrier';
import type { InventoryNumber } from '../core/inventory';
import { CAPABILITIES, envelope, refuseCaller, TYPES } from './sinch-wire';

/**
 * Sinch's Numbers API calls on one number, after docs/carriers/ordering.md §6:
 * - rent: `POST /v1/projects/{projectId}/availableNumbers/{phoneNumber}:rent` (E.164 with '+', literal or
 *   %2B-encoded), optional JSON (`smsConfiguration`, `voiceConfiguration`, `callbackUrl`; the SDK sends `{}`);
 *   answers the ActiveNumber: the number is the project's at once (its SMS/voice configuration is provisioned
 *   asynchronously, which is not an order state).
 * - `GET /v1/projects/{projectId}/activeNumbers/{phoneNumber}`: the ActiveNumber, or 404 NOT_FOUND ActiveNumber.
 * - release: `POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release` answers the ActiveNumber with
 *   `expireAt` set to its `nextChargeDate` (as the SDK's test shows); the number stays the project's until then.
 * Auth as for search (bearer token or Basic key); errors in the Google-style envelope; nulls omitted.
 *
 * Options (behaviour.options):
 * - purchaseError: { status, message } → every rent that names a number answers this envelope (the status name
 *   follows the HTTP status). It is counted; nothing is bought.
 * - expireAfterMs: after a release, how long until the number leaves the project and is on sale again (default:
 *   its next charge date, 30 days after the rent).
 *
 * Choices where the reference is unverified (the adapter's README lists them too): rent answers 200 (the docs say
 * "200 or 201"); a number not for sale, or already the project's, is 404 NOT_FOUND with a ResourceInfo
 * `AvailableNumber` detail; a body that is not JSON, or a voiceConfiguration.type other than RTC, EST or FAX, is
 * 400 INVALID_ARGUMENT; a second release answers the same ActiveNumber.
 */
const RENT = /^\/v1\/projects\/([^/]+)\/availableNumbers\/([^/:]+):rent$/;
const ACTIVE = /^\/v1\/projects\/([^/]+)\/activeNumbers\/([^/:]+)$/;
const RELEASE = /^\/v1\/projects\/([^/]+)\/activeNumbers\/([^/:]+):release$/;
const MONTH_MS = 30 * 24 * 3600 * 1000;

export function sinchOrderingOperation(req: EmuRequest): OperationKind | undefined {
  if (RENT.test(req.path)) return 'purchase';
  if (RELEASE.test(req.path)) return 'release';
  if (ACTIVE.test(req.path)) return 'lookup';
  return undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

function render(projectId: string, owned: OwnedNumber, n: InventoryNumber | undefined) {
  const type = n ? Object.keys(TYPES).find((k) => TYPES[k] === n.type) : undefined;
  return {
    phoneNumber: owned.e164,
    projectId,
    displayName: '',
    regionCode: n?.country,
    type,
    capability: CAPABILITIES.filter((c) => (n?.features as string[] | undefined)?.includes(c.toLowerCase())),
    money: { currencyCode: 'EUR', amount: n?.type === 'toll_free' ? '2.00' : '0.80' },
    paymentIntervalMonths: 1,
    nextChargeDate: iso(owned.createdAt + MONTH_MS),
    // Nulls are omitted (vonage-…-sinch.md §5.3): expireAt appears once the number is released.
    ...(owned.expireAt !== undefined ? { expireAt: iso(owned.expireAt) } : {}),
    smsConfiguration: { servicePlanId: '', campaignId: '' },
    voiceConfiguration: { type: 'RTC', appId: '' },
    callbackUrl: '',
  };
}

const notFound = (resourceType: string, resourceName: string, options: Record<string, unknown>) =>
  envelope(404, `${resourceType} not found.`, [{ type: 'ResourceInfo', resourceType, resourceName, owner: '', description: '' }], options);

/** Answers a number call, or undefined when the path is not one. */
export function handleSinchOrdering(req: EmuRequest, ctx: CarrierContext): EmuResponse | undefined {
  const kind = sinchOrderingOperation(req);
  if (!kind) return undefined;
  const m = (RENT.exec(req.path) ?? RELEASE.exec(req.path) ?? ACTIVE.exec(req.path))!;
  const options = ctx.options;
  if (kind === 'lookup' ? req.method !== 'GET' : req.method !== 'POST') return envelope(405, 'Method not allowed.', [], options);
  const projectId = decodeURIComponent(m[1]);
  const refused = refuseCaller(req, projectId, ctx.credentials, options);
  if (refused) return refused;
  const e164 = decodeURIComponent(m[2]);
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) {
    return envelope(400, `"${e164}" is not a valid phone number.`, [{ type: 'BadRequest', fieldViolations: [{ field: 'phoneNumber', description: 'must be E.164' }] }], options);
  }
  const account = ctx.account;
  const owned = account.owned.get(e164);

  if (kind === 'lookup') return owned ? json(200, render(projectId, owned, account.catalogue.get(e164))) : notFound('ActiveNumber', e164, options);
  if (kind === 'release') {
    if (!owned) return notFound('ActiveNumber', e164, options);
    if (owned.expireAt === undefined) {
      const after = typeof options.expireAfterMs === 'number' ? options.expireAfterMs : owned.createdAt + MONTH_MS - ctx.now;
      owned.expireAt = ctx.now + Math.max(0, after);
      account.schedule(owned.expireAt, (now) => account.relinquish(e164, now));
    }
    return json(200, render(projectId, owned, account.catalogue.get(e164)));
  }

  const body = req.body.trim();
  if (body !== '') {
    const isJson = String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
    let parsed: unknown;
    try {
      parsed = isJson ? JSON.parse(body) : undefined;
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return envelope(400, 'The request body must be a JSON object.', [{ type: 'BadRequest', fieldViolations: [] }], options);
    }
    const voiceType = (parsed as { voiceConfiguration?: { type?: unknown } }).voiceConfiguration?.type;
    if (voiceType !== undefined && !['RTC', 'EST', 'FAX'].includes(String(voiceType))) {
      return envelope(400, `parsing field "voiceConfiguration.type": "${String(voiceType)}" is not a valid value`, [{ type: 'BadRequest', fieldViolations: [{ field: 'voiceConfiguration.type', description: 'invalid value' }] }], options);
    }
  }
  account.countPurchase(e164);
  const scripted = options.purchaseError as { status: number; message: string } | undefined;
  if (scripted) return envelope(scripted.status, scripted.message, [], options);
  if (owned || !account.forSale(e164)) return notFound('AvailableNumber', e164, options);
  const record: OwnedNumber = { e164, id: e164, status: 'active', createdAt: ctx.now };
  account.acquire(record);
  return json(200, render(projectId, record, account.catalogue.get(e164)));
}
