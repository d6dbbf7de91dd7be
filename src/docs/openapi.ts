import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { CONTRACT_SCHEMAS, TRACKING_ID_HEADER } from './schemas';

/** Builds the OpenAPI document from the controllers and DTOs, plus the contract's shared components. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Phone number inventory API')
    .setDescription(
      'Searches purchasable phone numbers across carriers. Every error is `{ trackingId, error: { code, message, fix, provider, providerCode } }`.',
    )
    .setVersion('1.0.0')
    .addServer('http://localhost:3000')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearerAuth')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKeyHeader')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = document.components ?? {};
  // The search's query DTO (an extra model of its controller) is described as parameters, not as a body schema.
  delete document.components.schemas?.SearchNumbersQueryDto;
  document.components.schemas = { ...document.components.schemas, ...(CONTRACT_SCHEMAS as unknown as Record<string, object>) };
  document.components.headers = { TrackingId: TRACKING_ID_HEADER as never };
  // Either scheme authenticates (an OR of two requirements), as in the contract.
  document.security = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
  return document;
}

export function setupOpenApi(app: NestFastifyApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'numbers-gateway API',
  });
}
