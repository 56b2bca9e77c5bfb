/**
 * `npm run bench:archive`: archive export speed on a synthetic archive of
 * 100,000 assets (1152-d vectors, Korean/English text rows, the search
 * bench's recipe) with a ~10 KB thumbnail per asset in the media folder,
 * through the real exporter, with Debian's `sqlite3 <db> ".backup <file>"`
 * of the same database timed in the same run as the baseline, and
 * `VACUUM INTO` (the first step of the snapshot approach the ADR compares,
 * docs/adr-0010-archive-export.md) beside them.
 *
 *   --assets <n>        archive size (100000)
 *   --dims <n>          vector dimensions (1152)
 *   --thumb-bytes <n>   bytes per thumbnail (10240)
 *   --data <folder>     where the archive is kept between runs (.bench-data, or
 *                       $IMAGEPARSER_BENCH_DATA when set, e.g. a folder under /tmp
 *                       that outlives the worktree)
 *   --runs <n>          times .backup and both exports n times over the same
 *                       archive, each run printed (1); the machine is noisy
 *   --no-import         skips the (slow) import timing
 *
 * Each line also gives the CPU seconds the step used (this process, or the
 * sqlite3 child for .backup) and, in brackets, the ratio of MB per CPU second
 * against .backup's: on the shared development machine wall time moves with
 * the load, CPU time hardly.
 *
 * Import is timed too once the importer has landed: the bench loads
 * `transfer/archive-import-bindings` (`bindArchiveImport(bind)`, binding
 * `ArchiveImporter`) when the module exists and imports the export into a
 * fresh archive; otherwise it says it skipped it.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import 'reflect-metadata';
import BetterSqlite3 = require('better-sqlite3');
import { Container, interfaces } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { ArchiveLocation } from '@imageparser/archive-core/lib/node/store/archive-location';
import { MediaStore } from '@imageparser/archive-core/lib/node/store/media-store';
import { bindArchiveStore } from '@imageparser/archive-core/lib/node/store/store-bindings';
import { bindSearch } from '@imageparser/archive-core/lib/node/search/search-bindings';
import { ArchiveExporter } from '@imageparser/archive-core/lib/node/transfer/archive-exporter';
import { bindArchiveExport } from '@imageparser/archive-core/lib/node/transfer/archive-export-bindings';
import { ArchiveImporter } from '@imageparser/archive-core/lib/node/transfer/archive-importer';
import { ExportReport } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { ensureSyntheticArchive } from './search/synthetic-archive';

const root = path.resolve(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const MB = 1024 * 1024;

interface Options {
    assets: number;
    dims: number;
    thumbBytes: number;
    data: string;
    runs: number;
    importToo: boolean;
}

function parseOptions(args: string[]): Options {
    const options: Options = {
        assets: 100_000, dims: 1152, thumbBytes: 10 * 1024, data: path.resolve(process.env.IMAGEPARSER_BENCH_DATA || path.join(root, '.bench-data')),
        runs: 1, importToo: true
    };
    for (let i = 0; i < args.length; i += 2) {
        const value = args[i + 1];
        switch (args[i]) {
            case '--no-import': options.importToo = false; i--; break;
            case '--runs': options.runs = Math.max(1, Number(value)); break;
            case '--assets': options.assets = Number(value); break;
            case '--dims': options.dims = Number(value); break;
            case '--thumb-bytes': options.thumbBytes = Number(value); break;
            case '--data': options.data = path.resolve(value); break;
            default: throw new Error(`unknown option ${args[i]}; see the comment at the top of bench/archive-bench.ts`);
        }
    }
    return options;
}

/** One thumbnail per asset in the media folder (through the real media store), named in `assets.thumbnail_hash`. */
function ensureThumbnails(folder: string, assets: number, bytes: number): void {
    const stamp = path.join(folder, '.thumbnails');
    const recipe = `v1 ${assets} ${bytes}`;
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === recipe) {
        return;
    }
    const started = Date.now();
    const media = new MediaStore(ArchiveLocation.mediaFolder({ folder, source: 'environment' }));
    const db = new BetterSqlite3(path.join(folder, 'archive.sqlite'));
    try {
        db.pragma('journal_mode = WAL');
        const update = db.prepare("UPDATE assets SET thumbnail_hash = ?, thumbnail_mime = 'image/webp' WHERE id = ?");
        const batch = 5000;
        for (let start = 1; start <= assets; start += batch) {
            db.transaction(() => {
                for (let id = start; id < Math.min(start + batch, assets + 1); id++) {
                    // Random bytes: compressed image data does not compress further, and each hash differs.
                    update.run(media.put(crypto.randomBytes(bytes)), id);
                }
            })();
            if ((start - 1) % 20_000 === 0) {
                log(`  thumbnails: ${Math.min(start + batch - 1, assets).toLocaleString('en-US')} of ${assets.toLocaleString('en-US')} in ${Math.round((Date.now() - started) / 1000)} s`);
            }
        }
        db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
        db.close();
    }
    fs.writeFileSync(stamp, recipe);
}

/**
 * CPU seconds used so far by this process (every thread) and its waited-for
 * children (`sqlite3`; Linux's /proc/self/stat, in clock ticks of 1/100 s).
 * Unlike wall time this hardly moves with the machine's load, so it compares
 * the work itself.
 */
function cpuSeconds(): number {
    const own = process.cpuUsage();
    let children = 0;
    try {
        const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
        // Fields 16 and 17 (cutime, cstime) of proc(5), counted after the ") " that ends the command name (field 2).
        children = (Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
        children = 0;
    }
    return (own.user + own.system) / 1e6 + children;
}

interface Timed {
    /** Wall-clock seconds. */
    seconds: number;
    /** CPU seconds (see {@link cpuSeconds}). */
    cpu: number;
}

function timeSync(work: () => void): Timed {
    const started = performance.now();
    const cpu = cpuSeconds();
    work();
    return { seconds: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu };
}

async function timeAsync<T>(work: () => Promise<T>): Promise<Timed & { result: T }> {
    const started = performance.now();
    const cpu = cpuSeconds();
    const result = await work();
    return { seconds: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu, result };
}

function row(label: string, timed: Timed, bytes: number, baseline?: Timed & { bytes: number }): string {
    const rate = bytes / MB / timed.seconds;
    const baseRate = baseline && baseline.bytes / MB / baseline.seconds;
    const ratio = baseRate ? `  ${(rate / baseRate).toFixed(2)}x of .backup` : '';
    const cpuRatio = baseline ? ` (${((bytes / timed.cpu) / (baseline.bytes / baseline.cpu)).toFixed(2)}x)` : '';
    return `${label.padEnd(34)} ${timed.seconds.toFixed(1).padStart(7)} s  ${(bytes / MB).toFixed(0).padStart(7)} MB  ${rate.toFixed(0).padStart(5)} MB/s${ratio}`
        + `  cpu ${timed.cpu.toFixed(2)} s${cpuRatio}`;
}

/** The importer's bindings, when the import scope has landed them. */
function importBindings(): ((bind: interfaces.Bind) => void) | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require('@imageparser/archive-core/lib/node/transfer/archive-import-bindings') as { bindArchiveImport?: (bind: interfaces.Bind) => void };
        return module.bindArchiveImport;
    } catch {
        return undefined;
    }
}

function containerOver(folder: string, extra?: (bind: interfaces.Bind) => void): Container {
    const container = new Container();
    const bind = container.bind.bind(container);
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindArchiveStore(bind, { location: { folder, source: 'environment' } });
    bindSearch(bind);
    bindArchiveExport(bind);
    extra?.(bind);
    return container;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const folder = path.join(options.data, `archive-export-${options.assets}`);
    log(`archive bench: ${options.assets.toLocaleString('en-US')} assets, ${options.dims}-d vectors, ${options.thumbBytes} B thumbnails (${folder})`);
    await ensureSyntheticArchive(folder, options.assets, options.dims, 3000, log);
    ensureThumbnails(folder, options.assets, options.thumbBytes);
    const database = path.join(folder, 'archive.sqlite');
    const out = path.join(options.data, 'archive-export-out');
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const archiveBytes = fs.statSync(database).size;
    const mediaBytes = options.assets * options.thumbBytes;
    log(`archive: ${(archiveBytes / MB).toFixed(0)} MB database, ${(mediaBytes / MB).toFixed(0)} MB of thumbnails`);

    const sqlite3 = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
    if (sqlite3.status !== 0) {
        throw new Error('Debian\'s sqlite3 is missing: bash scripts/ensure-system-deps.sh sqlite3');
    }
    const container = containerOver(folder);
    const { database: archive } = await container.get<ArchiveStore>(ArchiveStore).open();
    const exporter = container.get<ArchiveExporter>(ArchiveExporter);
    const signal = new AbortController().signal;
    const full = path.join(out, 'full.imageparser-export');
    let withMedia: (Timed & { result: ExportReport }) | undefined;
    const lines = [`sqlite3 ${sqlite3.stdout.split(' ')[0]}, ${options.assets.toLocaleString('en-US')} assets`];
    for (let run = 1; run <= options.runs; run++) {
        const backupFile = path.join(out, 'backup.sqlite');
        const backup = timeSync(() => {
            const result = spawnSync('sqlite3', [database, `.backup '${backupFile}'`], { encoding: 'utf8' });
            if (result.status !== 0) {
                throw new Error(`sqlite3 .backup failed: ${result.stderr}`);
            }
        });
        const baseline = { ...backup, bytes: fs.statSync(backupFile).size };
        fs.rmSync(backupFile);

        const vacuumFile = path.join(out, 'vacuum-into.sqlite');
        const vacuum = timeSync(() => archive.writer.prepare('VACUUM INTO ?').run(vacuumFile));
        const vacuumBytes = fs.statSync(vacuumFile).size;
        fs.rmSync(vacuumFile);

        const lean = path.join(out, 'lean.imageparser-export');
        const withoutMedia = await timeAsync(() => exporter.export({ file: lean, scope: { kind: 'archive' }, includeMedia: false }, () => undefined, signal));
        fs.rmSync(full, { force: true });
        withMedia = await timeAsync<ExportReport>(() => exporter.export({ file: full, scope: { kind: 'archive' }, includeMedia: true }, () => undefined, signal));
        fs.rmSync(lean);
        const runLines = [
            ...(options.runs > 1 ? [`run ${run} of ${options.runs} (load average ${os.loadavg()[0].toFixed(1)})`] : []),
            row('sqlite3 .backup (database)', backup, baseline.bytes),
            row('VACUUM INTO (database)', vacuum, vacuumBytes, baseline),
            row('export, no thumbnails', withoutMedia, withoutMedia.result.bytes, baseline),
            row('export, with thumbnails', withMedia, withMedia.result.bytes, baseline),
            `export time vs .backup time: no thumbnails ${(backup.seconds / withoutMedia.seconds).toFixed(2)}x, with thumbnails ${(backup.seconds / withMedia.seconds).toFixed(2)}x `
                + `(of the database alone; the export with thumbnails also reads ${(mediaBytes / MB).toFixed(0)} MB of media files)`
        ];
        runLines.forEach(line => log(line));
        lines.push(...runLines);
    }
    container.get<ArchiveStore>(ArchiveStore).close();

    const bindImport = options.importToo ? importBindings() : undefined;
    if (bindImport && withMedia) {
        const target = path.join(out, 'import-archive');
        const importContainer = containerOver(target, bindImport);
        const importer = importContainer.get<ArchiveImporter>(ArchiveImporter);
        const imported = await timeAsync(() => importer.import({ file: full }, () => undefined, signal));
        importContainer.get<ArchiveStore>(ArchiveStore).close();
        lines.push(row('import into an empty archive', imported, withMedia.result.bytes)
            + `  (${imported.result.assetsAdded.toLocaleString('en-US')} assets, ${imported.result.vectorsAdded.toLocaleString('en-US')} vectors, ${imported.result.mediaAdded.toLocaleString('en-US')} media)`);
    } else if (!options.importToo) {
        lines.push('import: not timed (--no-import)');
    } else {
        lines.push('import: not timed (the importer\'s transfer/archive-import-bindings module has not landed)');
    }
    fs.rmSync(out, { recursive: true, force: true });
    process.stdout.write(lines.join('\n') + '\n');
}

main().catch(error => {
    log(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
});
