/**
 * `npm run bench:ingest`: how fast ImageParser indexes, side by side with
 * standard tools making thumbnails of the same files at the same parallelism.
 *
 *   --jpegs <n>       generated 4000 x 3000 JPEGs (500)
 *   --psds <n>        generated 2000 x 2000 layered PSDs (200)
 *   --huge-side <px>  side of the ~300 MB PSD used for peak memory (7300)
 *   --rounds <n>      rounds, ours and the baseline taking turns; medians are printed (3)
 *   --threads <n>     processes / parse threads (one per core)
 *   --only <list>     jpeg,psd,corpus,huge (all)
 *   --data <folder>   where generated files are kept between runs (.bench-data)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureSet, FixtureSet, makeHugePsd, makeLayeredPsd, makePhotoJpeg } from './ingest/fixtures';
import { TimedResult, timedRun, timedXargs } from './ingest/timed-run';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

interface Options {
    jpegs: number;
    psds: number;
    hugeSide: number;
    rounds: number;
    threads: number;
    only: Set<string>;
    data: string;
}

function parseOptions(args: string[]): Options {
    const options: Options = {
        jpegs: 500, psds: 200, hugeSide: 7300, rounds: 3, threads: os.availableParallelism(),
        only: new Set(['jpeg', 'psd', 'corpus', 'huge']), data: path.join(root, '.bench-data')
    };
    for (let i = 0; i < args.length; i++) {
        const value = args[++i];
        switch (args[i - 1]) {
            case '--jpegs': options.jpegs = Number(value); break;
            case '--psds': options.psds = Number(value); break;
            case '--huge-side': options.hugeSide = Number(value); break;
            case '--rounds': options.rounds = Number(value); break;
            case '--threads': options.threads = Number(value); break;
            case '--only': options.only = new Set(value.split(',')); break;
            case '--data': options.data = path.resolve(value); break;
            default: throw new Error(`unknown option ${args[i - 1]}; see the comment at the top of bench/ingest-bench.ts`);
        }
    }
    return options;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function median(results: TimedResult[]): TimedResult {
    const sorted = [...results].sort((a, b) => a.seconds - b.seconds);
    const middle = sorted[Math.floor(sorted.length / 2)];
    return { ...middle, peakRssMb: Math.max(...results.map(result => result.peakRssMb)) };
}

/** Ours and the baseline take turns, so a noisy neighbour slows both alike; medians of each. */
function interleaved<A extends TimedResult, B extends TimedResult>(count: number, ours: () => A, baseline: () => B): { ours: A; baseline: B } {
    const a: A[] = [];
    const b: B[] = [];
    for (let i = 0; i < count; i++) {
        b.push(baseline());
        a.push(ours());
        log(`  round ${i + 1}/${count}: ours ${a[i].seconds.toFixed(1)} s, baseline ${b[i].seconds.toFixed(1)} s`);
    }
    return { ours: { ...a[0], ...median(a) }, baseline: { ...b[0], ...median(b) } };
}

function rounds<T extends TimedResult>(count: number, run: () => T): T {
    const results = Array.from({ length: count }, run);
    return { ...results[0], ...median(results) };
}

/** Our full ingest of a folder through the `imageparser index` CLI, into a fresh archive. */
type OurResult = TimedResult & { indexed: number; failed: number };

function ours(folder: string, options: Options): OurResult {
    const archive = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-bench-archive-'));
        try {
            const run = timedRun(process.execPath, [cli, 'index', folder, '--archive', archive, '--threads', String(options.threads)]);
            const match = /(\d+) indexed, (\d+) failed/.exec(run.stdout);
            if (!match) {
                throw new Error(`the CLI printed no summary:\n${run.stdout}`);
            }
            return { ...run, indexed: Number(match[1]), failed: Number(match[2]) };
        } finally {
            fs.rmSync(archive, { recursive: true, force: true });
        }
}

function withOutputFolder<T>(run: (folder: string) => T): T {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-bench-out-'));
    try {
        return run(folder);
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

/** vipsthumbnail, one process per core, each given its share of the files: the tool at its fastest. */
function vipsBaseline(set: FixtureSet, options: Options): TimedResult {
    const perProcess = Math.ceil(set.files.length / options.threads);
    return withOutputFolder(out => timedXargs(set.files, options.threads, perProcess, ['vipsthumbnail', '-s', '256', '-o', `${out}/%s.jpg`]));
}

/** ImageMagick as the issue states it: `convert-im6.q16 'file.psd[0]' -thumbnail 256x256`, one process per core. */
function imageMagickBaseline(set: FixtureSet, options: Options): TimedResult {
    return withOutputFolder(out => timedXargs(set.files, options.threads, 1,
        ['sh', '-c', 'exec convert-im6.q16 "$1[0]" -thumbnail 256x256 "$OUT/$(basename "$1").png"', 'sh'],
        { ...process.env, OUT: out }));
}

interface Row {
    readonly name: string;
    readonly files: number;
    readonly megabytes: number;
    readonly ours: OurResult;
    readonly baseline?: { name: string; result: TimedResult; target: number };
}

function printRows(rows: Row[], options: Options): void {
    const rate = (files: number, result: TimedResult) => files / result.seconds;
    const lines = [
        `ImageParser ingest benchmark: ${os.cpus().length} cores, ${options.threads} processes/threads each, median of ${options.rounds} round(s)`,
        '',
        'set                          files      MB | ours files/s  peak MB | baseline                 files/s  peak MB | ratio  target',
        '-'.repeat(118)
    ];
    for (const row of rows) {
        const ourRate = rate(row.files, row.ours);
        let baseline = ''.padEnd(42);
        let ratio = '';
        if (row.baseline) {
            const theirRate = rate(row.files, row.baseline.result);
            baseline = `${row.baseline.name.padEnd(22)} ${theirRate.toFixed(2).padStart(9)} ${row.baseline.result.peakRssMb.toFixed(0).padStart(8)}`;
            const value = ourRate / theirRate;
            ratio = `${value.toFixed(2).padStart(5)}x  >= ${row.baseline.target.toFixed(1)}x ${value >= row.baseline.target ? 'met' : 'NOT met'}`;
        }
        lines.push(`${row.name.padEnd(26)} ${String(row.files).padStart(7)} ${row.megabytes.toFixed(0).padStart(7)} | `
            + `${ourRate.toFixed(2).padStart(12)} ${row.ours.peakRssMb.toFixed(0).padStart(8)} | ${baseline} | ${ratio}`);
        lines.push(`${''.padEnd(26)} ours: ${row.ours.indexed} indexed, ${row.ours.failed} failed in ${row.ours.seconds.toFixed(1)} s`
            + (row.baseline ? `; baseline ${row.baseline.result.seconds.toFixed(1)} s` : ''));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    if (!fs.existsSync(cli)) {
        throw new Error(`${cli} is missing; run \`npm run bench:ingest\`, which compiles it`);
    }
    const rows: Row[] = [];
    const megabytes = (bytes: number) => bytes / 1024 / 1024;

    if (options.only.has('jpeg')) {
        log(`bench: ${options.jpegs} JPEGs 4000 x 3000`);
        const set = await ensureSet(path.join(options.data, 'jpeg-4000x3000'), `v1 ${options.jpegs}`, options.jpegs,
            makePhotoJpeg, i => `photo-${String(i).padStart(4, '0')}.jpg`, log);
        log('bench: ImageParser ingest against vipsthumbnail');
        const result = interleaved(options.rounds, () => ours(set.folder, options), () => vipsBaseline(set, options));
        rows.push({ name: 'JPEG 4000x3000', files: set.files.length, megabytes: megabytes(set.bytes), ours: result.ours,
            baseline: { name: 'vipsthumbnail -s 256', result: result.baseline, target: 0.5 } });
    }
    if (options.only.has('psd')) {
        log(`bench: ${options.psds} layered PSDs 2000 x 2000`);
        const set = await ensureSet(path.join(options.data, 'psd-2000x2000'), `v1 ${options.psds}`, options.psds,
            makeLayeredPsd, i => `layered-${String(i).padStart(4, '0')}.psd`, log);
        log('bench: ImageParser ingest against ImageMagick');
        const result = interleaved(options.rounds, () => ours(set.folder, options), () => imageMagickBaseline(set, options));
        rows.push({ name: 'PSD 2000x2000 10-30 layers', files: set.files.length, megabytes: megabytes(set.bytes), ours: result.ours,
            baseline: { name: 'convert-im6.q16 [0]', result: result.baseline, target: 1.0 } });
    }
    if (options.only.has('corpus')) {
        const corpus = path.resolve(root, '..', 'shared', 'corpus');
        if (fs.existsSync(corpus)) {
            log('bench: the shared corpus');
            const files = (fs.readdirSync(corpus, { recursive: true }) as string[])
                .filter(name => /\.(psd|psb|png|jpe?g)$/i.test(name) && !name.split(path.sep).some(part => part.startsWith('.')));
            const bytes = files.reduce((sum, name) => sum + fs.statSync(path.join(corpus, name)).size, 0);
            rows.push({ name: 'shared corpus', files: files.length, megabytes: megabytes(bytes), ours: rounds(options.rounds, () => ours(corpus, options)) });
        } else {
            log(`bench: ${corpus} not found, corpus skipped`);
        }
    }
    let huge: Row | undefined;
    if (options.only.has('huge')) {
        const folder = path.join(options.data, `huge-${options.hugeSide}`);
        const file = path.join(folder, 'huge.psd');
        if (!fs.existsSync(file)) {
            log(`bench: generating a ${options.hugeSide} x ${options.hugeSide} PSD`);
            fs.mkdirSync(folder, { recursive: true });
            await makeHugePsd(file + '.partial', options.hugeSide);
            fs.renameSync(file + '.partial', file);
        }
        log('bench: ImageParser ingest of the large PSD');
        huge = { name: `PSD ${options.hugeSide}x${options.hugeSide}`, files: 1, megabytes: megabytes(fs.statSync(file).size), ours: rounds(options.rounds, () => ours(folder, options)) };
        rows.push(huge);
    }
    printRows(rows, options);
    if (huge) {
        const peak = huge.ours.peakRssMb;
        process.stdout.write(`\npeak memory ingesting a ${huge.megabytes.toFixed(0)} MB PSD: ${peak.toFixed(0)} MB `
            + `(target under 1536 MB: ${peak < 1536 ? 'met' : 'NOT met'})\n`);
    }
}

main().catch(error => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
