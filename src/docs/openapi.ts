import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_STATUS, REFUSED_REQUEST_STATUSES } from '../errors/error-codes';
import { CONTRACT_SCHEMAS, errorSchemaFor, orderRequestSchema, TRACKING_ID_HEADER } from './schemas';

/** Every status an error envelope is sent with; each gets its schema `Error<status>`. */
const ERROR_SCHEMA_STATUSES = [...new Set<number>([...Object.values(ERROR_STATUS), ...REFUSED_REQUEST_STATUSES])].sort();

const ONE_KEY =
  'Send one key, in Authorization (Bearer) or in X-API-Key. A request that sends both must send keys of the same client; two that disagree are a 401.';

/** What the document says that the composition knows: the names of the registered carriers. */
export interface DocumentFacts {
  readonly providers: readonly string[];
}

/** Builds the OpenAPI document from the controllers and DTOs, plus the contract's shared components. */
export function buildOpenApiDocument(app: NestFastifyApplication, facts: DocumentFacts): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Phone number inventory API')
    .setDescription(
      'Searches purchasable phone numbers across carriers. Every error is `{ trackingId, error: { code, message, fix, provider, providerCode } }`, and every response carries X-Tracking-Id. Query parameters are taken exactly as sent: unknown or repeated parameters, spaces, signs and leading zeros are refused with a 400 saying what to send instead.',
    )
    .setVersion('1.0.0')
    // Relative, so the document works on any host and port (as in the contract).
    .addServer('/', 'the service itself')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: ONE_KEY }, 'bearerAuth')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: ONE_KEY }, 'apiKeyHeader')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = document.components ?? {};
  // The search's query DTO (an extra model of its controller) is described as parameters, not as a body schema.
  delete document.components.schemas?.SearchNumbersQueryDto;
  const errorSchemas = Object.fromEntries(ERROR_SCHEMA_STATUSES.map((status) => [`Error${status}`, errorSchemaFor(status)]));
  document.components.schemas = {
    ...document.components.schemas,
    ...(CONTRACT_SCHEMAS as unknown as Record<string, object>),
    OrderRequest: orderRequestSchema(facts.providers),
    ...errorSchemas,
  };
  document.components.headers = { ...document.components.headers, TrackingId: TRACKING_ID_HEADER as never };
  // Either scheme authenticates (an OR of two requirements), as in the contract.
  document.security = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
  requireTrackingIdEverywhere(document);
  return document;
}

/** Every response of every operation lists X-Tracking-Id, whoever wrote the operation's decorators. */
function requireTrackingIdEverywhere(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { responses?: Record<string, { headers?: Record<string, unknown> }> }>)) {
      if (typeof operation !== 'object' || operation === null || !operation.responses) continue;
      for (const response of Object.values(operation.responses)) {
        if ('$ref' in response) continue;
        response.headers = { 'X-Tracking-Id': { $ref: '#/components/headers/TrackingId' }, ...response.headers };
      }
    }
  }
}

export function setupOpenApi(app: NestFastifyApplication, facts: DocumentFacts): void {
  const document = buildOpenApiDocument(app, facts);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'numbers-gateway API',
  });
}
