// runtime/text.ts: code page 1252 both ways. The table below is Python's cp1252 codec
// (from the Unicode Consortium's CP1252.TXT) for 0x80-0x9F; the five bytes that table
// leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) map to the C1 controls of the same value,
// which is what Windows' MultiByteToWideChar does (recorded under Wine by the
// kernel32api sample: 0x81 -> U+0081, 0x8D -> U+008D).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp1252Decode, cp1252Encode, decodeCodePage, encodeCodePage, utf16Bytes, CP_UTF8 } from '../../runtime/text.js';

const HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];
const expectedChar = (b: number) => (b >= 0x80 && b < 0xa0 ? HIGH[b - 0x80]! : b);

test('cp1252Decode: every byte to its Unicode code point', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const s = cp1252Decode(all);
  assert.equal(s.length, 256);
  for (let b = 0; b < 256; b++) assert.equal(s.charCodeAt(b), expectedChar(b), `byte 0x${b.toString(16)}`);
});

test('cp1252Encode: every mapped character back to its byte, not lossy', () => {
  const s = String.fromCharCode(...Array.from({ length: 256 }, (_, b) => expectedChar(b)));
  const { bytes, lossy } = cp1252Encode(s);
  assert.equal(lossy, false);
  assert.deepEqual([...bytes], Array.from({ length: 256 }, (_, i) => i));
});

test('cp1252Encode: characters outside the code page become ? and set lossy', () => {
  for (const c of ['\u0100', '\u4e2d', '\u0080', '\u009f', '\u20ad']) {
    const r = cp1252Encode(`a${c}z`);
    assert.equal(r.lossy, true, `U+${c.charCodeAt(0).toString(16)}`);
    assert.deepEqual([...r.bytes], [0x61, 0x3f, 0x7a]);
  }
  // U+0080 and U+009F are not in 1252 (0x80 and 0x9F are the euro sign and Y with diaeresis).
});

test('a literal ? is not lossy', () => assert.deepEqual(cp1252Encode('?'), { bytes: Uint8Array.of(0x3f), lossy: false }));

test('code page dispatch: CP_UTF8 uses UTF-8, anything else 1252', () => {
  assert.equal(decodeCodePage(CP_UTF8, Uint8Array.of(0xe2, 0x82, 0xac)), '\u20ac');
  assert.equal(decodeCodePage(0, Uint8Array.of(0x80)), '\u20ac');
  assert.deepEqual([...encodeCodePage(CP_UTF8, '\u20ac').bytes], [0xe2, 0x82, 0xac]);
  assert.deepEqual([...encodeCodePage(1252, '\u20ac').bytes], [0x80]);
});

test('utf16Bytes: little-endian code units, surrogates kept as they are', () => {
  assert.deepEqual([...utf16Bytes('A\u20ac\ud83d\ude00')], [0x41, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde]);
});
