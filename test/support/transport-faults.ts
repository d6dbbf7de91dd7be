import type { EmulatorServer } from '../../emulators/core/server';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { ProviderError } from '../../src/domain/provider-error';
import type { SearchQuery } from '../../src/domain/search-query';
import { ctx, failure, query } from './provider-under-test';

export interface TransportFaultOptions {
  /** The search sent to the carrier (defaults to a US local search). */
  search?: Partial<SearchQuery>;
  /**
   * Values no error may contain, in its message or its log form (credentials, tokens). Read after each
   * fault, so tokens the carrier issued meanwhile are included.
   */
  secrets?: () => readonly string[];
  /**
   * The paths the emulator must have received for each fault (Sinch: only the search, its cached token
   * being reused), read from the emulator's request log, which the spec clears before each test.
   */
  requestedPaths?: readonly string[];
}

/**
 * What every adapter must do with a broken answer or a silent carrier, whatever its wire format: garbage is
 * bad_response, a reset is unavailable, a hang ends as timeout when the signal fires and its socket is
 * closed; and no error, whatever the fault, carries a secret.
 */
export function itMapsTransportFaults(
  carrier: string,
  get: () => { emu: EmulatorServer; provider: NumberProvider },
  options: TransportFaultOptions = {},
): void {
  const checkAfter = (emu: EmulatorServer, e: ProviderError) => {
    const text = `${e.message} ${JSON.stringify(e.toLog())}`;
    for (const secret of options.secrets?.() ?? []) expect(text).not.toContain(secret);
    if (options.requestedPaths) expect(emu.requests(carrier).map((r) => r.path)).toEqual(options.requestedPaths);
  };

  it.each([
    ['garbage', 'bad_response'],
    ['html', 'bad_response'],
    ['wrong_shape', 'bad_response'],
    ['truncated', 'bad_response'],
    ['reset', 'unavailable'],
  ] as const)('maps a %s answer to %s', async (type, kind) => {
    const { emu, provider } = get();
    emu.setBehaviour(carrier, { fault: { type } });
    const e = await failure(provider.search(query(options.search), ctx()));
    expect(e.kind).toBe(kind);
    checkAfter(emu, e);
  });

  it('maps an oversized body to bad_response', async () => {
    const { emu, provider } = get();
    emu.setBehaviour(carrier, { fault: { type: 'oversized', bytes: 2 * 1024 * 1024 } });
    const e = await failure(provider.search(query(options.search), ctx()));
    expect(e.kind).toBe('bad_response');
    checkAfter(emu, e);
  });

  it('gives up on a hang when its signal fires, and the emulator sees the connection closed', async () => {
    const { emu, provider } = get();
    emu.setBehaviour(carrier, { fault: { type: 'hang' } });
    const e = await failure(provider.search(query(options.search), ctx(AbortSignal.timeout(200))));
    expect(e.kind).toBe('timeout');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.openRequests(carrier)).toBe(0);
    checkAfter(emu, e);
  });
}
