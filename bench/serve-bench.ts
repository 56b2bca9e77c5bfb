/**
 * `npm run bench:serve`: the built browser app serving thumbnails and
 * previews to 200 concurrent clients for 60 s over an archive of generated
 * images, while an upload is aborted half-way every second and a hostile PSD
 * (a 6000 x 6000 canvas with 500 nested groups) is rendered again and again
 * on the layer lane. Prints p50/p95/p99 latency, throughput and errors (there
 * must be none), what the aborted uploads left (nothing) and the server's
 * open file descriptors before and after (the same). Then the same clients
 * fetch the same files for the same time from the plainest server there is
 * (Node's `http` and `fs.createReadStream`, its own process) as the
 * baseline, and the ratios are printed. Exits 1 when a rule is broken.
 *   npm run bench:serve [-- --seconds 60 --clients 200 --images 200 --depth 500]
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { AppServer, freePort } from '../tests/e2e/app-server';
import { Random } from './ingest/fixtures';
import { LoadResult, percentile, runLoad } from './serve/load-clients';
import { ensureHostilePsd, ensureImages } from './serve/serve-fixtures';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
    seconds: number;
    clients: number;
    images: number;
    depth: number;
}

function parseOptions(args: string[]): Options {
    const options: Options = { seconds: 60, clients: 200, images: 200, depth: 500 };
    for (let i = 0; i < args.length; i += 2) {
        const value = Number(args[i + 1]);
        if (!Number.isInteger(value) || value < 1) {
            throw new Error(`${args[i]} needs a whole number of at least 1`);
        }
        switch (args[i]) {
            case '--seconds': options.seconds = value; break;
            case '--clients': options.clients = value; break;
            case '--images': options.images = value; break;
            case '--depth': options.depth = value; break;
            default: throw new Error(`unknown option ${args[i]}; see the comment at the top of bench/serve-bench.ts`);
        }
    }
    return options;
}

interface Asset {
    readonly id: number;
    readonly path: string;
    readonly thumbnail: string;
    readonly thumbnailMime: string;
    readonly preview: string;
}

/** Indexes the images with the CLI unless this archive already holds them; answers its assets. */
async function ensureArchive(art: string, archive: string, expected: number): Promise<Asset[]> {
    const read = () => {
        if (!fs.existsSync(path.join(archive, 'archive.sqlite'))) {
            return [];
        }
        const db = new BetterSqlite3(path.join(archive, 'archive.sqlite'), { readonly: true });
        try {
            return db.prepare(`SELECT a.id, f.path, a.thumbnail_hash AS thumbnail, a.thumbnail_mime AS thumbnailMime, a.preview_hash AS preview
                FROM assets a JOIN files f ON f.asset_id = a.id WHERE f.state = 'indexed' AND a.preview_hash IS NOT NULL`).all() as Asset[];
        } finally {
            db.close();
        }
    };
    if (read().length < expected) {
        log(`bench: indexing ${art} into ${archive}`);
        const child = spawn(process.execPath, [cli, 'index', art, '--archive', archive], { stdio: ['ignore', 'inherit', 'inherit'] });
        const code = await new Promise(resolve => child.once('exit', resolve));
        if (code !== 0) {
            throw new Error(`indexing failed with exit code ${code}`);
        }
    }
    const assets = read();
    if (assets.length < expected) {
        throw new Error(`the archive holds ${assets.length} assets, ${expected} expected`);
    }
    return assets;
}

function mediaFile(archive: string, hash: string): string {
    return path.join(archive, 'media', hash.slice(0, 2), hash.slice(2, 4), hash);
}

function openFileDescriptors(pid: number): number {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
}

function threadNames(pid: number): string {
    return fs.readdirSync(`/proc/${pid}/task`).map(task => fs.readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim()).sort().join(',');
}

/** What each open descriptor of the process points at (`socket:[…]`, `anon_inode:[eventpoll]`, a path). */
function fileDescriptorTargets(pid: number): string[] {
    return fs.readdirSync(`/proc/${pid}/fd`).map(fd => {
        try {
            return `${fd}→${fs.readlinkSync(`/proc/${pid}/fd/${fd}`)}`;
        } catch {
            return `${fd}→?`;
        }
    });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
    }
}

/** Every second, an upload that sends its first half-megabyte of a declared 16 MiB and then drops the connection. */
function abortUploadsEverySecond(base: string, headers: http.OutgoingHttpHeaders): { stop: () => Promise<number> } {
    let started = 0;
    const inFlight = new Set<Promise<void>>();
    const timer = setInterval(() => {
        const n = started++;
        const done = new Promise<void>(resolve => {
            const request = http.request(`${base}/imageparser/upload/bench-aborted?path=${encodeURIComponent(`aborted-${n}.png`)}`, {
                method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(16 * 1024 * 1024) }
            });
            request.on('error', () => resolve());
            request.on('close', () => resolve());
            request.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
            request.write(Buffer.alloc(512 * 1024, 1));
            setTimeout(() => request.destroy(), 300);
        });
        inFlight.add(done);
        done.finally(() => inFlight.delete(done));
    }, 1000);
    return {
        stop: async () => {
            clearInterval(timer);
            await Promise.all(inFlight);
            return started;
        }
    };
}

/** Renders the hostile PSD's layers again and again (another hidden layer each time), one request at a time. */
function renderHostileMeanwhile(base: string, assetId: number, headers: http.OutgoingHttpHeaders): { stop: () => Promise<{ statuses: Record<string, number>; timesMs: number[] }> } {
    const statuses: Record<string, number> = {};
    const timesMs: number[] = [];
    let running = true;
    const get = (url: string) => new Promise<void>(resolve => {
        const begin = Date.now();
        http.get(`${base}${url}`, { headers }, response => {
            response.resume();
            response.on('end', () => {
                statuses[response.statusCode!] = (statuses[response.statusCode!] ?? 0) + 1;
                timesMs.push(Date.now() - begin);
                resolve();
            });
        }).on('error', error => {
            statuses[error.message] = (statuses[error.message] ?? 0) + 1;
            resolve();
        });
    });
    const loop = (async () => {
        await get(`/imageparser/media/tiles/${assetId}/image.dzi`);
        for (let hidden = 1; running; hidden++) {
            await get(`/imageparser/media/layers/${assetId}/render?hidden=${hidden}`);
        }
    })();
    return {
        stop: async () => {
            running = false;
            await loop;
            return { statuses, timesMs };
        }
    };
}

async function startBaseline(assets: Asset[], archive: string, folder: string): Promise<{ url: string; stop: () => void }> {
    const map: Record<string, { file: string; type: string }> = {};
    for (const asset of assets) {
        map[`/imageparser/media/thumbnail/${asset.id}`] = { file: mediaFile(archive, asset.thumbnail), type: asset.thumbnailMime ?? 'image/webp' };
        map[`/imageparser/media/preview/${asset.id}`] = { file: mediaFile(archive, asset.preview), type: 'image/webp' };
    }
    const mapFile = path.join(folder, 'baseline-map.json');
    fs.writeFileSync(mapFile, JSON.stringify(map));
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(__dirname, 'serve', 'static-file-server.js'), String(port), mapFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', chunk => String(chunk).includes('listening') && resolve());
        child.once('exit', code => reject(new Error(`the baseline server exited with ${code}`)));
    });
    return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

function row(name: string, result: LoadResult): string {
    const rate = result.requests / result.seconds;
    return `${name.padEnd(22)}${String(result.requests).padStart(10)}${rate.toFixed(0).padStart(9)}${(result.bytes / result.seconds / 1e6).toFixed(1).padStart(9)}`
        + `${percentile(result.latenciesMs, 0.5).toFixed(1).padStart(9)}${percentile(result.latenciesMs, 0.95).toFixed(1).padStart(9)}`
        + `${percentile(result.latenciesMs, 0.99).toFixed(1).padStart(9)}${String(result.errors).padStart(8)}`;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const folder = path.join(root, '.bench-data', 'serve');
    const art = path.join(folder, `art-${options.images}`);
    const hostile = path.join(art, 'hostile', `nested-${options.depth}.psd`);
    const archive = path.join(folder, `archive-${options.images}-${options.depth}`);
    await ensureImages(art, options.images, log);
    ensureHostilePsd(hostile, options.depth);
    const assets = await ensureArchive(art, archive, options.images + 1);
    const hostileAsset = assets.find(asset => asset.path === hostile);
    if (!hostileAsset) {
        throw new Error(`the hostile PSD ${hostile} was not indexed`);
    }
    const browsed = assets.filter(asset => asset !== hostileAsset);
    const random = new Random(7);
    const next = () => {
        const asset = browsed[Math.floor(random.next() * browsed.length)];
        return `/imageparser/media/${random.next() < 0.7 ? 'thumbnail' : 'preview'}/${asset.id}`;
    };

    const server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(folder, 'theia-config') });
    let ours: LoadResult;
    let fdsBefore: number;
    let fdsAfter: number;
    let aborted: number;
    let hostileRun: { statuses: Record<string, number>; timesMs: number[] };
    try {
        const cookie = await new Promise<string>((resolve, reject) => http.get(`${server.url}/`, response => {
            response.resume();
            resolve(String(response.headers['set-cookie']?.[0] ?? '').split(';')[0]);
        }).on('error', reject));
        const headers = { cookie, 'X-ImageParser-Request': '1' };
        // Warm: the media routes, and both render lanes' threads (each thread holds a few descriptors of its own event loop while it lives).
        log('bench: warming up for 3 s, the render lanes included');
        const warm = renderHostileMeanwhile(server.url, hostileAsset.id, headers);
        await runLoad(server.url, 20, 3, next, headers);
        await warm.stop();
        await new Promise(resolve => setTimeout(resolve, 2000));
        fdsBefore = openFileDescriptors(server.pid);
        const targetsBefore = fileDescriptorTargets(server.pid);
        const threadsBefore = threadNames(server.pid);

        log(`bench: ${options.clients} clients for ${options.seconds} s against ImageParser, an upload aborted every second, the hostile PSD rendering`);
        const uploads = abortUploadsEverySecond(server.url, headers);
        const renders = renderHostileMeanwhile(server.url, hostileAsset.id, headers);
        ours = await runLoad(server.url, options.clients, options.seconds, next, headers);
        aborted = await uploads.stop();
        log('bench: waiting for the hostile render in flight');
        hostileRun = await renders.stop();
        await until(() => openFileDescriptors(server.pid) <= fdsBefore, 20_000);
        fdsAfter = openFileDescriptors(server.pid);
        if (fdsAfter !== fdsBefore) {
            const targetsAfter = fileDescriptorTargets(server.pid);
            log(`bench: descriptors opened and not closed: ${targetsAfter.filter(target => !targetsBefore.includes(target)).join(', ')}`);
            log(`bench: threads now: ${threadNames(server.pid)}; before: ${threadsBefore}`);
        }
    } finally {
        await server.stop();
    }
    const inbox = path.join(archive, 'inbox');
    const left = fs.existsSync(inbox) ? (fs.readdirSync(inbox, { recursive: true }) as string[]).filter(name => !fs.statSync(path.join(inbox, name)).isDirectory()) : [];

    log(`bench: ${options.clients} clients for ${options.seconds} s against the static file server (baseline)`);
    const baselineServer = await startBaseline(browsed, archive, folder);
    let baseline: LoadResult;
    try {
        baseline = await runLoad(baselineServer.url, options.clients, options.seconds, next);
    } finally {
        baselineServer.stop();
    }

    const hostileTimes = hostileRun.timesMs;
    const lines = [
        '',
        `serve benchmark: ${options.clients} clients fetching thumbnails (70 %) and previews (30 %) of ${browsed.length} images for ${options.seconds} s each; ${os.cpus().length} cores`,
        `${'server'.padEnd(22)}${'requests'.padStart(10)}${'req/s'.padStart(9)}${'MB/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}`,
        '-'.repeat(85),
        row('ImageParser', ours),
        row('static (http + fs)', baseline),
        `ratio ImageParser / static: p50 ${(percentile(ours.latenciesMs, 0.5) / percentile(baseline.latenciesMs, 0.5)).toFixed(2)}x, `
        + `p95 ${(percentile(ours.latenciesMs, 0.95) / percentile(baseline.latenciesMs, 0.95)).toFixed(2)}x, `
        + `throughput ${((ours.requests / ours.seconds) / (baseline.requests / baseline.seconds)).toFixed(2)}x`,
        `meanwhile: ${aborted} uploads aborted half-way (files left in the inbox: ${left.length}); the hostile PSD (6000 x 6000, ${options.depth} nested groups) `
        + `rendered ${hostileTimes.length} times, answers ${JSON.stringify(hostileRun.statuses)}, p50 ${percentile(hostileTimes, 0.5).toFixed(0)} ms`,
        `server open file descriptors: ${fdsBefore} before, ${fdsAfter} after${fdsAfter === fdsBefore ? ' (back to the start value)' : ' (NOT back to the start value)'}`
    ];
    for (const sample of [...ours.errorSamples, ...baseline.errorSamples]) {
        lines.push(`error: ${sample}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (ours.errors || baseline.errors || left.length || fdsAfter !== fdsBefore) {
        process.exitCode = 1;
    }
}

main().catch(error => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
