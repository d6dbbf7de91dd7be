import { type AppConfig, loadConfig } from '../config/app-config';
import type { Env } from '../config/env';
import type { ProviderDefinition } from '../providers/provider-definition';
import { PROVIDER_DEFINITIONS } from '../providers/registry';

/** The service's configuration: the environment read with every registered carrier's definition. */
export function loadAppConfig(env: Env): AppConfig<ProviderDefinition> {
  return loadConfig(env, PROVIDER_DEFINITIONS);
}
