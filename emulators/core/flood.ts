import type { EmuFeature, InventoryNumber } from './inventory';

/**
 * Numbers for the flood fault: distinct, valid North American numbers (libphonenumber accepts them as US fixed
 * lines) under one area code, each with every feature, so that every one of them satisfies a local search of
 * that area code whatever features it asks for. A hostile or broken carrier's worst case is an answer the
 * service cannot trim by filtering: thousands of numbers that all match.
 */
export function* floodNumbers(areaCode = '415'): Generator<InventoryNumber> {
  const npa = /^[2-9]\d{2}$/.test(areaCode) ? areaCode : '415';
  const features: EmuFeature[] = ['sms', 'mms', 'voice', 'fax'];
  for (let i = 0; i < 8_000_000; i++) {
    // Exchanges 200–999, lines 0000–9999: up to 8 million distinct numbers.
    const national = `${npa}${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
    yield { e164: `+1${national}`, country: 'US', callingCode: '1', national, type: 'local', areaCode: npa, locality: 'San Francisco', region: 'CA', rateCenter: 'SNFC CNTRL', features };
  }
}

/** Items rendered by `render` until their JSON would pass `bytes` (an array's commas and brackets counted). */
export function fillUpTo<T>(bytes: number, numbers: Iterable<InventoryNumber>, render: (n: InventoryNumber, i: number) => T, overhead = 64): T[] {
  const items: T[] = [];
  let size = overhead;
  let i = 0;
  for (const n of numbers) {
    const item = render(n, i++);
    const length = JSON.stringify(item).length + 1;
    if (size + length > bytes) break;
    items.push(item);
    size += length;
  }
  return items;
}
