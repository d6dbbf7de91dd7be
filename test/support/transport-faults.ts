import type { EmulatorServer } from '../../emulators/core/server';
import type { NumberProvider } from '../../src/domain/number-provider';
import type { SearchQuery } from '../../src/domain/search-query';
import { ctx, failure, query } from './provider-under-test';

/**
 * What every adapter must do with a broken answer or a silent carrier, whatever its wire format: garbage is
 * bad_response, a reset is unavailable, a hang ends as timeout when the signal fires and its socket is closed.
 */
export function itMapsTransportFaults(
  carrier: string,
  get: () => { emu: EmulatorServer; provider: NumberProvider },
  search: Partial<SearchQuery> = {},
): void {
  it.each([
    ['garbage', 'bad_response'],
    ['html', 'bad_response'],
    ['wrong_shape', 'bad_response'],
    ['truncated', 'bad_response'],
    ['reset', 'unavailable'],
  ] as const)('maps a %s answer to %s', async (type, kind) => {
    const { emu, provider } = get();
    emu.setBehaviour(carrier, { fault: { type } });
    expect((await failure(provider.search(query(search), ctx()))).kind).toBe(kind);
  });

  it('maps an oversized body to bad_response', async () => {
    const { emu, provider } = get();
    emu.setBehaviour(carrier, { fault: { type: 'oversized', bytes: 2 * 1024 * 1024 } });
    expect((await failure(provider.search(query(search), ctx()))).kind).toBe('bad_response');
  });

  it('gives up on a hang when its signal fires, and the emulator sees the connection closed', async () => {
    const { emu, provider } = get();
    emu.setBehaviour(carrier, { fault: { type: 'hang' } });
    expect((await failure(provider.search(query(search), ctx(AbortSignal.timeout(200))))).kind).toBe('timeout');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.openRequests(carrier)).toBe(0);
  });
}
