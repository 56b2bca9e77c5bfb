/**
 * Modules that find their binaries or worker scripts at run time (through `bindings`,
 * `require.resolve` or platform packages) and so must stay outside the backend
 * bundle; the bundled backend requires them from node_modules. tesseract.js spawns
 * its worker thread from a script beside its own sources.
 */
export const nativeExternals = ['better-sqlite3', 'sqlite-vec', 'sharp', 'piscina', 'tesseract.js'];
