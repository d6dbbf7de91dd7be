import type { CarrierEmulator } from './core/carrier';
import { EmulatorServer, type EmulatorOptions } from './core/server';
import { bandwidthEmulator } from './bandwidth/bandwidth.emulator';
import { plivoEmulator } from './plivo/plivo.emulator';
import { signalwireEmulator } from './signalwire/signalwire.emulator';
import { sinchEmulator } from './sinch/sinch.emulator';
import { telnyxEmulator } from './telnyx/telnyx.emulator';
import { twilioEmulator } from './twilio/twilio.emulator';
import { vonageEmulator } from './vonage/vonage.emulator';

/**
 * Every emulated carrier. Adding one: a folder under emulators/ and one line here (mirrors
 * src/providers/registry.ts).
 */
export const CARRIER_EMULATORS: readonly CarrierEmulator[] = [
  telnyxEmulator,
  twilioEmulator,
  vonageEmulator,
  plivoEmulator,
  bandwidthEmulator,
  sinchEmulator,
  signalwireEmulator,
];

/** Starts the emulators on 127.0.0.1 (a free port unless one is given). */
export async function startEmulators(
  options: EmulatorOptions & { carriers?: readonly string[] } = {},
): Promise<EmulatorServer> {
  const carriers = options.carriers
    ? CARRIER_EMULATORS.filter((c) => options.carriers!.includes(c.name))
    : CARRIER_EMULATORS;
  const server = new EmulatorServer(carriers, options);
  await server.listen();
  return server;
}

export { EmulatorServer };
export type { Behaviour, Fault } from './core/behaviour';
export type { LoggedRequest } from './core/server';
