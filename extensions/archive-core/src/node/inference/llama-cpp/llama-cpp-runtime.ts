import { createRequire } from 'module';
import { pathToFileURL } from 'url';

/** node-llama-cpp's exports (types only: the module itself is loaded on first use by {@link importNodeLlamaCpp}). */
export type NodeLlamaCpp = typeof import('node-llama-cpp');

/*
 * node-llama-cpp is an ES module with top-level await, which `require` cannot
 * load, and this package compiles to CommonJS, where TypeScript turns
 * `import()` into `require`. So the real `import()` is made at run time, on
 * the module's resolved file (a bare name would be resolved from the working
 * directory, not from here).
 */
const dynamicImport = new Function('url', 'return import(url)') as (url: string) => Promise<NodeLlamaCpp>;
let loaded: Promise<NodeLlamaCpp> | undefined;

/** node-llama-cpp, imported once per process. */
export function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
    if (!loaded) {
        loaded = importModule();
        loaded.catch(() => loaded = undefined);
    }
    return loaded;
}

async function importModule(): Promise<NodeLlamaCpp> {
    const entry = pathToFileURL(createRequire(__filename).resolve('node-llama-cpp')).href;
    try {
        return await dynamicImport(entry);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') {
            throw error;
        }
        // Sources evaluated in a vm context (vitest's module runner) cannot import through a Function; there, import() is the runner's own.
        return import('node-llama-cpp');
    }
}
