// errno values of msvcrt.dll that the format engines report. The API layer stores them in the
// guest's per-thread errno; the engines never touch guest state themselves.
export const EDOM = 33;
export const ERANGE = 34;
export const EINVAL = 22;
export const EILSEQ = 42;

/** The value every conversion returns in errno terms: 0 means "no error to report". */
export type Errno = 0 | typeof EDOM | typeof ERANGE | typeof EINVAL;
