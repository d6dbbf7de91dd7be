import type { TracingConfig } from '../config/tracing.config';
import type { SecretScrubber } from '../secrets/secret-scrubber';
import { type ExportWatcher, NO_TRACING, type Tracing } from './tracing';

/**
 * Starts trace export when it is configured. The SDK (tracer provider, exporters, context manager) is
 * loaded here and only here, on demand: a service that exports no traces never loads it, and every span
 * the code starts stays the API's no-op.
 */
export async function startTracing(config: TracingConfig | undefined, scrubber: SecretScrubber, watcher: ExportWatcher): Promise<Tracing> {
  if (!config) return NO_TRACING;
  const { startSdk } = await import('./sdk/start-sdk');
  return startSdk(config, scrubber, watcher);
}
