/**
 * `npm run bench:search`: search latency on synthetic archives of 100,000
 * and 1,000,000 assets (clustered 1152-d vectors, Zipf-like Korean/English
 * text), through the real engine, with plain sqlite-vec float KNN timed in
 * the same run as the baseline.
 *
 *   --sizes <list>     archive sizes (100000,1000000)
 *   --queries <n>      queries per kind (200)
 *   --dims <n>         vector dimensions (1152)
 *   --clusters <n>     Gaussian clusters (3000)
 *   --data <folder>    where archives are kept between runs (.bench-data)
 */
import * as path from 'path';
import 'reflect-metadata';
import { Container } from '@theia/core/shared/inversify';
import { SearchQuery, SearchResult, SearchService } from '@imageparser/archive-core/lib/common/search-protocol';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { VectorIndexRepository } from '@imageparser/archive-core/lib/node/store/vector-index-repository';
import { VectorAxisServing } from '@imageparser/archive-core/lib/node/search/vector-axis-serving';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindArchiveStore } from '@imageparser/archive-core/lib/node/store/store-bindings';
import { bindSearch } from '@imageparser/archive-core/lib/node/search/search-bindings';
import { EXACT_RANK_MATCHES } from '@imageparser/archive-core/lib/node/search/text-axis';
import { Random } from './ingest/fixtures';
import { clusterCenters, ensureSyntheticArchive, sampleNear, vocabulary, ZipfSampler } from './search/synthetic-archive';

const root = path.resolve(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
    sizes: number[];
    queries: number;
    dims: number;
    clusters: number;
    data: string;
}

function parseOptions(args: string[]): Options {
    const options: Options = { sizes: [100_000, 1_000_000], queries: 200, dims: 1152, clusters: 3000, data: path.join(root, '.bench-data') };
    for (let i = 0; i < args.length; i += 2) {
        const value = args[i + 1];
        switch (args[i]) {
            case '--sizes': options.sizes = value.split(',').map(Number); break;
            case '--queries': options.queries = Number(value); break;
            case '--dims': options.dims = Number(value); break;
            case '--clusters': options.clusters = Number(value); break;
            case '--data': options.data = path.resolve(value); break;
            default: throw new Error(`unknown option ${args[i]}; see the comment at the top of bench/search-bench.ts`);
        }
    }
    return options;
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function timed(name: string, count: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
    log(`  timing ${name}`);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
        const started = performance.now();
        await run(i);
        times.push(performance.now() - started);
    }
    return times;
}

interface Row {
    readonly name: string;
    readonly times: number[];
    readonly target?: number;
    readonly note?: string;
}

async function benchSize(size: number, options: Options): Promise<void> {
    log(`bench: archive of ${size.toLocaleString('en-US')} assets`);
    const archive = await ensureSyntheticArchive(path.join(options.data, `search-${size}`), size, options.dims, options.clusters, log);
    // The engine as the backend binds it, over the synthetic archive.
    const container = new Container();
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindArchiveStore(container.bind.bind(container), { location: { folder: archive.folder, source: 'environment' } });
    bindSearch(container.bind.bind(container));
    container.rebind(VectorAxisServing).toConstantValue({
        visual: async () => ({ model: 'synthetic', index: archive.index, exists: true }),
        meaning: async () => ({ skipped: 'no-text-model' }),
        servingModel: async axis => axis === 'visual' ? 'synthetic' : undefined
    } satisfies VectorAxisServing);
    const vectors = container.get<VectorIndexRepository>(VectorIndexRepository);
    const search = container.get<SearchService>(SearchService);
    const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
    try {
        if (!await vectors.isQuantized(archive.index)) {
            const started = performance.now();
            await vectors.quantize(archive.index);
            log(`  quantized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
        const random = new Random(size);
        const centers = clusterCenters(options.clusters, options.dims);
        const queryVectors = Array.from({ length: options.queries }, () => sampleNear(centers[Math.floor(random.next() * options.clusters)], random, 0.6));
        const blob = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

        // Baseline: plain sqlite-vec exact float KNN, top 20.
        const exactKnn = database.reader.prepare(`SELECT asset_id FROM ${archive.index} WHERE embedding MATCH ? AND k = 20 ORDER BY distance`).pluck();
        const exactIds: number[][] = [];
        const baseline = await timed('sqlite-vec float KNN', Math.min(options.queries, size >= 1_000_000 ? 40 : options.queries), async i => {
            exactIds[i] = (exactKnn.all(blob(queryVectors[i])) as (number | bigint)[]).map(Number);
        });
        // Ours: the quantized first pass with exact rescoring, top 20, and recall against the exact answer.
        let found = 0;
        const knn = await timed('quantized KNN', exactIds.length, async i => {
            const ids = (await vectors.nearest(archive.index, queryVectors[i], 20)).map(hit => hit.assetId);
            found += ids.filter(id => exactIds[i].includes(id)).length;
        });
        const recall = found / (exactIds.length * 20);

        const words = vocabulary();
        const zipf = new ZipfSampler(words.length, random);
        // Distinct queries, so the result cache answers none of them.
        const distinct = new Set<string>();
        while (distinct.size < options.queries) {
            distinct.add(distinct.size % 3 === 0 ? `${words[zipf.next()]} ${words[zipf.next()]}` : words[zipf.next()]);
        }
        const textQueries = [...distinct];
        const referenceIds = Array.from({ length: options.queries }, () => 1 + Math.floor(random.next() * size));
        const page = { offset: 0, limit: 100 };
        // Warm up: the first query opens statements and pages the indexes in.
        for (const warm of ['warmup', 'castle 배경', '하늘고양이']) {
            await search.search({ text: warm, references: { assetIds: [1], mode: 'or' }, ...page });
        }
        const text = await timed('text queries', options.queries, i => search.search({ text: textQueries[i], ...page }));
        const similar = await timed('similar queries', options.queries, i => search.search({ references: { assetIds: [referenceIds[i]], mode: 'or' }, ...page }));
        const fusedAnswers: { text: string; result: SearchResult }[] = [];
        const fused = await timed('fused queries', options.queries, async i => {
            const result = await search.search({
                text: textQueries[i], references: { assetIds: [referenceIds[i]], mode: 'or' },
                filters: [{ kind: 'rating', min: 2 }, { kind: 'type', types: ['psd', 'png'] }], ...page
            });
            fusedAnswers[i] = { text: textQueries[i], result };
        });
        const repeatedQuery: SearchQuery = { text: textQueries[0], references: { assetIds: [referenceIds[0]], mode: 'or' }, filters: [{ kind: 'rating', min: 2 }], ...page };
        await search.search(repeatedQuery);
        const repeated = await timed('repeated query', options.queries, () => search.search(repeatedQuery));

        const big = size >= 1_000_000;
        const rows: Row[] = [
            { name: 'sqlite-vec float KNN k=20 (baseline)', times: baseline },
            { name: 'quantized KNN k=20 + int8 rescoring', times: knn, note: `recall@20 ${recall.toFixed(3)} (target >= 0.95: ${recall >= 0.95 ? 'met' : 'NOT met'})` },
            { name: 'text query (S axis, page of 100)', times: text },
            { name: 'similar query (V axis, page of 100)', times: similar, target: big ? 150 : 25 },
            { name: 'fused text + similar + 2 filters', times: fused, target: big ? 300 : 50 },
            { name: 'repeated query (cache)', times: repeated, target: 5 }
        ];
        const lines = [
            '',
            `${size.toLocaleString('en-US')} assets, ${options.dims}-d vectors in ${options.clusters} clusters (${database.reader.prepare('SELECT count(*) FROM asset_text').pluck().get()} text rows)`,
            'query                                        p50 ms   p95 ms   target p95',
            '-'.repeat(96)
        ];
        for (const row of rows) {
            const p95 = percentile(row.times, 0.95);
            lines.push(`${row.name.padEnd(42)} ${percentile(row.times, 0.5).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}   `
                + (row.target ? `<= ${row.target} ms ${p95 <= row.target ? 'met' : 'NOT met'}` : '') + (row.note ? `  ${row.note}` : ''));
        }
        const ratio = percentile(baseline, 0.95) / percentile(knn, 0.95);
        lines.push(`quantized KNN vs sqlite-vec float KNN: ${ratio.toFixed(1)}x faster at p95; similar query vs baseline: ${(percentile(baseline, 0.95) / percentile(similar, 0.95)).toFixed(1)}x`);
        lines.push(`slowest fused queries (axis times in ms; "bounded": the words matched more than ${EXACT_RANK_MATCHES.toLocaleString('en-US')} assets and a share was ranked):`);
        for (const i of fused.map((_, index) => index).sort((a, b) => fused[b] - fused[a]).slice(0, 3)) {
            const { text: words, result } = fusedAnswers[i];
            const axes = result.axes.filter(axis => axis.used).map(axis => `${axis.axis} ${axis.tookMs?.toFixed(1)}${axis.bounded ? ' bounded' : ''}`).join(', ');
            lines.push(`  ${fused[i].toFixed(1).padStart(7)} ms  "${words}"  ${axes}, ${result.total} hits`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
        container.get<ArchiveStore>(ArchiveStore).close();
    }
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    for (const size of options.sizes) {
        await benchSize(size, options);
    }
}

main().catch(error => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
