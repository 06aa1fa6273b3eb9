// Where things live in the guest address space (all below 4 GiB; see memory.ts).
// Chosen to resemble a Windows process closely enough for CRT code, while leaving
// the null region for the CPU state.

export const Layout = {
  /** API thunks: one 16-byte slot per imported or GetProcAddress'd function. */
  thunkBase: 0x0001_0000,
  thunkSize: 0x0001_0000,
  /** Lowest address the stack may be placed at. */
  stackSearchFrom: 0x0010_0000,
  /** Where relocatable images go when their preferred base is above 4 GiB. */
  imageBase: 0x0040_0000,
  /** wexert.dll, the builtin guest library (runtime/guestlib): its preferred and only base. */
  builtinLibraryBase: 0x6ff0_0000,
  /** Pseudo module images for the DLLs the runtime implements (GetModuleHandle results). */
  moduleBase: 0x7000_0000,
  /** Process heap and other heaps, VirtualAlloc regions. */
  heapSearchFrom: 0x1000_0000,
  virtualAllocFrom: 0x2000_0000,
  /** PEB, TEBs, process parameters. */
  pebBase: 0x7ff0_0000,
} as const;
