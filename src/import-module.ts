/**
 * `import()` of a package or a file URL (execa, ajv, cosmiconfig, rule plugins), in one place: the
 * lint command's bundle is CommonJS run through Node's `vm` for its code cache (scripts/bundle.mjs),
 * where an `import()` of its own would need --experimental-vm-modules; that bundle gets a stand-in for
 * this module which asks the ES module that loaded it to do the import.
 */
export function importModule<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
