import { startEmulators } from '../../emulators/index';
import { percentile } from '../lib/load';
import { SERVICE_MAIN, startProcess } from '../lib/processes';
import { log, serviceEnv } from '../lib/setup';

/** Process start to /health/ready answering 200, median of 5. */
export async function startup(carriers: string[]): Promise<{ medianMs: number; runsMs: number[] }> {
  log('5. start-up: process start to /health/ready 200 (median of 5)');
  const emulators = await startEmulators({ carriers });
  const times: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const s = await startProcess(SERVICE_MAIN, serviceEnv(emulators.env()), '/health/ready');
      times.push(s.startupMs);
      await s.stop();
    }
  } finally {
    await emulators.close();
  }
  return { medianMs: percentile(times, 50), runsMs: times };
}
