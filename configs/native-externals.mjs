/**
 * Modules that find their binaries or worker scripts at run time (through `bindings`,
 * `require.resolve` or platform packages) and so must stay outside the backend
 * bundle; the bundled backend requires them from node_modules. tesseract.js spawns
 * its worker thread from a script beside its own sources. @huggingface/transformers
 * loads onnxruntime-node's binding and sharp, and is loaded only when a model is configured.
 * node-llama-cpp loads its prebuilt llama.cpp binaries from platform packages and tests
 * them in a child process running one of its own files.
 */
export const nativeExternals = ['better-sqlite3', 'sqlite-vec', 'sharp', 'piscina', 'tesseract.js', '@huggingface/transformers', 'onnxruntime-node', 'node-llama-cpp'];
