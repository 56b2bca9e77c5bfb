import * as http from 'http';

/** What a run of the load clients saw. */
export interface LoadResult {
    readonly requests: number;
    readonly errors: number;
    /** The first few error descriptions, for the report. */
    readonly errorSamples: string[];
    readonly latenciesMs: number[];
    readonly seconds: number;
    readonly bytes: number;
}

/**
 * `clients` loops, each with its own kept-alive connection, fetching the
 * URLs `next()` picks, one after another, for `seconds`; every answer but a
 * complete 200 counts as an error.
 */
export async function runLoad(base: string, clients: number, seconds: number, next: () => string, headers: http.OutgoingHttpHeaders = {}): Promise<LoadResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    const latencies: number[] = [];
    const errorSamples: string[] = [];
    let errors = 0;
    let bytes = 0;
    const started = process.hrtime.bigint();
    const end = Date.now() + seconds * 1000;
    const fetchOne = (url: string) => new Promise<void>(resolve => {
        const begin = process.hrtime.bigint();
        const fail = (why: string) => {
            errors++;
            if (errorSamples.length < 5) {
                errorSamples.push(`${url}: ${why}`);
            }
            resolve();
        };
        const request = http.get(`${base}${url}`, { agent, headers }, response => {
            let size = 0;
            response.on('data', chunk => size += chunk.length);
            response.on('end', () => {
                if (response.statusCode !== 200) {
                    fail(`HTTP ${response.statusCode}`);
                    return;
                }
                bytes += size;
                latencies.push(Number(process.hrtime.bigint() - begin) / 1e6);
                resolve();
            });
            response.on('error', error => fail(error.message));
        });
        request.on('error', error => fail(error.message));
        request.setTimeout(30_000, () => request.destroy(new Error('no answer in 30 s')));
    });
    await Promise.all(Array.from({ length: clients }, async () => {
        while (Date.now() < end) {
            await fetchOne(next());
        }
    }));
    agent.destroy();
    return { requests: latencies.length + errors, errors, errorSamples, latenciesMs: latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes };
}

export function percentile(values: readonly number[], p: number): number {
    if (!values.length) {
        return NaN;
    }
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
