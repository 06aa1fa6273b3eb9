// The PE loader's public surface: parse a file, load it into guest memory, describe it.
export { parsePE } from './parse.js';
export { loadImage, LoadedImage, DEFAULT_REBASE_ADDRESS } from './loader.js';
export type {
  LoadOptions, LoadedSection, LoadedImportDll, LoadedImportFunction, LoadedDelayImportDll, LoadedExport,
  LoadedTls, LoadedRuntimeFunction, LoadedResourceData,
} from './loader.js';
export { describeImage, protString } from './describe.js';
export type { ImplementedPredicate } from './describe.js';
export { PeFormatError } from './errors.js';
export { normaliseDllName } from './imports.js';
export * from './types.js';
