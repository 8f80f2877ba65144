// libpg-query ships no types for its emscripten module; pg-wasm.ts says what it uses of it.
declare module 'libpg-query/wasm/libpg-query.js' {
  const createParser: unknown;
  export default createParser;
}
