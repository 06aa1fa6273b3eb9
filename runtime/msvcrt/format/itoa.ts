// _itoa / _ltoa / _ultoa / _i64toa / _ui64toa (and the _w variants): lowercase digits. The signed
// functions print a '-' only for radix 10; in every other radix the value is printed as its
// unsigned bit pattern (_itoa(-255, 16) is "ffffff01"). A radix outside 2..36 is the caller's
// invalid-parameter case.

export function integerToText(value: bigint, radix: number, bits: 32 | 64, signed: boolean): string {
  if (signed && radix === 10) {
    const v = BigInt.asIntN(bits, value);
    return v.toString(10);
  }
  return BigInt.asUintN(bits, value).toString(radix);
}
