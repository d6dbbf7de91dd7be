import { ORDER_ERROR_CODES } from '../domain/number-ordering';
import { ORDER_STATUSES } from '../domain/order';
import { FEATURES, NUMBER_TYPES } from '../domain/search-query';
import { ERROR_STATUS, REFUSED_REQUEST_STATUSES } from '../errors/error-codes';

/**
 * The response schemas of the public contract, written once here and served in GET /openapi.json.
 * test/e2e/openapi.e2e.spec.ts compares them with contract/numbers-api.openapi.yaml.
 */
export const CONTRACT_SCHEMAS = {
  AvailableNumbersResponse: {
    type: 'object',
    required: ['numbers'],
    properties: {
      numbers: { type: 'array', maxItems: 50, items: { $ref: '#/components/schemas/AvailableNumber' } },
    },
  },
  AvailableNumber: {
    type: 'object',
    description: 'One available number returned from search',
    required: ['phoneNumber', 'phoneNumberType'],
    properties: {
      phoneNumber: { type: 'string', description: 'E.164', pattern: '^\\+[1-9][0-9]{6,14}$' },
      locality: { type: 'string' },
      administrativeArea: { type: 'string' },
      phoneNumberType: {
        type: 'string',
        description: 'E.g. local, toll_free',
        enum: [...NUMBER_TYPES, 'shared_cost', 'unknown'],
      },
      features: { type: 'array', description: 'E.g. sms, voice, mms', items: { type: 'string', enum: [...FEATURES] } },
    },
  },
  OrderStatus: {
    type: 'string',
    enum: [...ORDER_STATUSES],
    description:
      'pending: the carrier accepted the order and is still working on it; action_required: it waits for documents or requirements (error says which); completed: the number is ours; failed: nothing was bought (error says why); unknown: the carrier\'s answer was lost and the order is being reconciled with the carrier (never bought twice).',
  },
  Order: {
    type: 'object',
    required: ['id', 'phoneNumber', 'provider', 'status', 'createdAt', 'updatedAt'],
    properties: {
      id: { type: 'string', description: 'Our order id (a UUID).' },
      phoneNumber: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' },
      provider: { type: 'string' },
      status: { $ref: '#/components/schemas/OrderStatus' },
      providerOrderId: { type: 'string', description: "The carrier's order or number resource id, where it has one." },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      completedAt: { type: 'string', format: 'date-time' },
      error: {
        type: 'object',
        description: 'Present when status is failed (or action_required, saying what is needed).',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: [...ORDER_ERROR_CODES] },
          message: { type: 'string' },
          fix: { type: 'string' },
          providerCode: { type: 'string', description: "The carrier's own code (Twilio 21422, Bandwidth 5005)." },
        },
      },
    },
  },
  OrderList: {
    type: 'object',
    required: ['orders'],
    properties: {
      orders: { type: 'array', items: { $ref: '#/components/schemas/Order' } },
      nextCursor: { type: 'string', description: 'Absent on the last page.' },
    },
  },
  ErrorResponse: {
    type: 'object',
    description: 'Standard error response for API errors.',
    required: ['trackingId', 'error'],
    properties: {
      trackingId: { type: 'string', description: 'Unique tracking ID for the request.' },
      error: {
        type: 'object',
        description: 'Structured error details for API error responses.',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            enum: Object.keys(ERROR_STATUS),
            description: `Machine-readable error code. One of: ${Object.entries(ERROR_STATUS)
              .map(([code, status]) =>
                code === 'validation_error'
                  ? `${code} (${status}; ${REFUSED_REQUEST_STATUSES.filter((s) => s !== status).join(', ')} when HTTP names what is wrong with the request)`
                  : `${code} (${status})`,
              )
              .join(', ')}.`,
          },
          message: { type: 'string', description: 'Human-readable error message.' },
          fix: { type: 'string', description: 'Actionable hint for fixing the error.' },
          provider: { type: 'string', description: 'Provider that caused the error (e.g. telnyx, twilio).' },
          providerCode: { type: 'string', description: 'Provider-specific error code.' },
          details: {
            type: 'array',
            description: '400 only: every invalid query parameter with its message and fix.',
            items: {
              type: 'object',
              required: ['parameter', 'message', 'fix'],
              properties: { parameter: { type: 'string' }, message: { type: 'string' }, fix: { type: 'string' } },
            },
          },
          providers: {
            type: 'array',
            description: '502 only: the failure of every provider that was asked.',
            items: {
              type: 'object',
              required: ['provider', 'code', 'message'],
              properties: {
                provider: { type: 'string' },
                code: { type: 'string', description: 'The normalised failure kind (auth_failed, rate_limited, timeout, ...).' },
                providerCode: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The body of POST /numbers/orders; `providers` are the registered carriers (src/providers/registry.ts), handed over by the composition. */
export function orderRequestSchema(providers: readonly string[]): object {
  return {
    type: 'object',
    required: ['phoneNumber'],
    additionalProperties: false,
    properties: {
      phoneNumber: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, as a search returned it' },
      provider: {
        type: 'string',
        enum: [...providers],
        description: 'One of the carriers that offered the number; absent: the highest-priority one of them.',
      },
    },
  };
}

export const TRACKING_ID_HEADER = {
  description: 'The same value as the body\'s trackingId on errors; present on every response.',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
} as const;

/** The error envelope of one status: ErrorResponse with error.code narrowed to the codes that status carries. */
export function errorSchemaFor(status: number): object {
  const codes = Object.entries(ERROR_STATUS)
    .filter(([code, s]) => s === status || (code === 'validation_error' && (REFUSED_REQUEST_STATUSES as readonly number[]).includes(status)))
    .map(([code]) => code);
  const envelope = CONTRACT_SCHEMAS.ErrorResponse;
  return {
    ...envelope,
    description: `The error envelope of a ${status}: error.code is ${codes.join(' or ')}.`,
    properties: {
      ...envelope.properties,
      error: {
        ...envelope.properties.error,
        properties: { ...envelope.properties.error.properties, code: { ...envelope.properties.error.properties.code, enum: codes } },
      },
    },
  };
}
