// A guest memory created before the CLI bundle loads (see src/cli/launch.ts for why).

/** Pages of the guest's WebAssembly.Memory: the whole 4 GiB address space. */
export const GUEST_MEMORY_PAGES = 65536;

/** The global slot the launcher leaves its memory in; shared by both bundles. */
export const PRESET_MEMORY = Symbol.for('wexe.presetGuestMemory');

/** The launcher's fresh memory, once; later callers get undefined and allocate their own. */
export function takePresetMemory(): WebAssembly.Memory | undefined {
  const slots = globalThis as Record<symbol, unknown>;
  const m = slots[PRESET_MEMORY];
  delete slots[PRESET_MEMORY];
  return m instanceof WebAssembly.Memory ? m : undefined;
}
