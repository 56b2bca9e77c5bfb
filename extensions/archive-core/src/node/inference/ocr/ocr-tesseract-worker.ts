/**
 * The entry point of a Tesseract thread: tesseract.js's own worker script,
 * with the network switched off first. The language data is read from the
 * system tessdata folder; should anything still reach for a URL (a CDN, a
 * langPath that is a URL), it fails with a clear error instead of
 * downloading. Builtins are this thread's own copies: the backend's network
 * is untouched.
 */
import { OCR_NETWORK_REFUSAL } from './ocr-language-data';

const refuse = (what: string) => (): never => {
    throw new Error(`${OCR_NETWORK_REFUSAL} (${what})`);
};

globalThis.fetch = async (input: unknown) => {
    throw new Error(`${OCR_NETWORK_REFUSAL} (fetch ${String(input)})`);
};
for (const name of ['http', 'https'] as const) {
    const module = require(name) as Record<string, unknown>;
    module.request = refuse(`${name}.request`);
    module.get = refuse(`${name}.get`);
}
const net = require('net') as Record<string, unknown>;
net.connect = net.createConnection = refuse('net.connect');
(require('tls') as Record<string, unknown>).connect = refuse('tls.connect');

// A thread whose engine or language data did not load is of no use, and tesseract.js keeps no handle on it to end it: it ends itself.
const { parentPort } = require('worker_threads') as typeof import('worker_threads');
const post = parentPort!.postMessage.bind(parentPort);
parentPort!.postMessage = (packet: { status?: string; action?: string }) => {
    post(packet);
    if (packet?.status === 'reject' && ['load', 'loadLanguage', 'initialize'].includes(packet.action ?? '')) {
        setImmediate(() => process.exit(1));
    }
};

require('tesseract.js/src/worker-script/node/index.js');
