// Public surface of the msvcrt format engines: pure functions and small callback interfaces
// that the msvcrt API layer wires to guest memory, FILE streams and errno.
export { formatPrintf, snprintfTruncate, type PrintfArgs, type PrintfResult } from './printf.js';
export { scanFormat, SCAN_EOF, type ScanInput, type ScanOutput, type ScanStoreKind } from './scanf.js';
export { strtod, atof, type StrtodResult } from './strtod.js';
export { strtoInteger, atoInteger, type IntegerKind, type StrtolResult } from './strtol.js';
export { integerToText } from './itoa.js';
export { ecvt, fcvt, type CvtResult } from './cvt.js';
export { MsvcrtRandom, RAND_MAX } from './rand.js';
export * as crtMath from './math.js';
export { bitsToDouble, doubleToBits, floatToBits, classifyDouble, INDEFINITE_NAN_BITS } from './bits.js';
export { EDOM, ERANGE, EINVAL, EILSEQ, type Errno } from './errno.js';
