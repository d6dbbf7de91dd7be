/**
 * A process that writes one log line through the service's logging (stdout destination, secret
 * scrubbing, fatal-error handlers) and ends at once: `throw` (an uncaught exception), `reject` (an
 * unhandled rejection) or `exit` (process.exit(0)). Run by test/e2e/log-delivery.e2e.spec.ts.
 */
import { loadAppConfig } from '../../src/app/load-app-config';
import { createRootLogger } from '../../src/logging/logging.module';
import { installProcessLogHandlers } from '../../src/logging/process-handlers';

const [how, marker] = process.argv.slice(2);
const logger = createRootLogger(loadAppConfig({ AUTH_DISABLED: 'true', LOG_LEVEL: 'info' }));
installProcessLogHandlers(() => logger);
logger.info({ marker }, 'the last line before the end');
switch (how) {
  case 'throw':
    setImmediate(() => {
      throw new Error(`crashed after logging ${marker}`);
    });
    break;
  case 'reject':
    void Promise.reject(new Error(`rejected after logging ${marker}`));
    break;
  case 'exit':
    process.exit(0);
    break;
  default:
    throw new Error(`unknown ending ${how}`);
}
