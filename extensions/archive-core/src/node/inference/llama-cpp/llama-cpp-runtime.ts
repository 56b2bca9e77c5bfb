import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import type { Llama } from 'node-llama-cpp';
import type { LlamaCppOptions } from './llama-cpp-options';

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

/** A llama.cpp log line, by level. */
export type LlamaCppLog = (level: 'error' | 'warn' | 'debug', text: string) => void;

const logListeners = new Set<LlamaCppLog>();
const llamas = new Map<string, Promise<Llama>>();

/** Hears llama.cpp's log lines (warn and above) until the returned function is called. */
export function listenToLlamaCpp(listener: LlamaCppLog): () => void {
    logListeners.add(listener);
    return () => logListeners.delete(listener);
}

/**
 * The process's llama.cpp instance for these GPU and thread options, started
 * on first use and kept for the process's life: node-llama-cpp frees
 * llama.cpp's backend for the whole process when an instance is disposed
 * (later instances would run on a freed backend, their logs lost), so models
 * and contexts are what gets freed, not the instance. It runs a prebuilt
 * binary only: `build: 'never'` and `skipDownload` keep node-llama-cpp from
 * compiling or fetching one (with `gpu: 'auto'` it tries the prebuilt GPU
 * binaries, each tested in a child process first, then the CPU one).
 */
export function sharedLlama(options: LlamaCppOptions): Promise<Llama> {
    const key = `${options.gpu}/${options.threads}`;
    let llama = llamas.get(key);
    if (!llama) {
        llama = startLlama(options);
        llamas.set(key, llama);
        llama.catch(() => llamas.delete(key));
    }
    return llama;
}

async function startLlama(options: LlamaCppOptions): Promise<Llama> {
    const library = await importNodeLlamaCpp();
    const { LlamaLogLevel } = library;
    return library.getLlama({
        gpu: options.gpu,
        build: 'never',
        skipDownload: true,
        usePrebuiltBinaries: true,
        progressLogs: false,
        maxThreads: options.threads > 0 ? options.threads : undefined,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
            const text = message.trim();
            const simpleLevel = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : level === LlamaLogLevel.warn ? 'warn' : 'debug';
            if (text) {
                logListeners.forEach(listener => listener(simpleLevel, text));
            }
        }
    });
}
