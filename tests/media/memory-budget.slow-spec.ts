import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../../extensions/archive-core/src/node/memory/memory-budget';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { Rgb, writeSolidPsd } from '../fixtures/solid-psd';

const root = path.resolve(__dirname, '../..');
const MiB = 1024 * 1024;
/** What a backend holds besides decoded pixels: Node, one V8 heap per thread (8 parse threads here), libvips, SQLite. */
const FIXED_OVERHEAD = 640 * MiB;
const SIDE = 16_000;

interface ChildRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** The child's peak resident memory (VmHWM), read from /proc. */
    readonly peakBytes: number;
}

/**
 * Runs a Node child process and reads its peak resident memory from /proc:
 * its own VmHWM on exit (through a preloaded script), and polled while it
 * runs in case it dies before saying it.
 */
function runMeasured(args: string[], preload: string): Promise<ChildRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--require', preload, ...args], { cwd: root, env: { ...process.env, IMAGEPARSER_MEMORY_BUDGET_MB: '' } });
        let stdout = '', stderr = '', polled = 0;
        child.stdout.on('data', chunk => stdout += chunk);
        child.stderr.on('data', chunk => stderr += chunk);
        const poll = setInterval(() => {
            try {
                const kb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
                polled = Math.max(polled, kb * 1024);
            } catch {
                // The child has just exited.
            }
        }, 100);
        child.on('error', reject);
        child.on('close', code => {
            clearInterval(poll);
            const reported = Number(/^VmHWM (\d+)$/m.exec(stderr)?.[1] ?? 0) * 1024;
            resolve({ code, stdout, stderr, peakBytes: Math.max(polled, reported) });
        });
    });
}

/**
 * Eight 16,000 x 16,000 PSDs (RLE stripes: small files, huge canvases),
 * indexed by the CLI with 8 parse threads, then one of them viewed (its
 * layers composited, then its Deep Zoom pyramid) by the render lanes:
 * each process's peak memory stays under the default budget plus a fixed
 * overhead. Without the budget and band-wise decoding the same run peaked
 * at about 6.4 GB.
 */
describe('the memory budget with eight 16,000 x 16,000 PSDs', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let preload: string;
    const limit = DEFAULT_MEMORY_BUDGET_BYTES + FIXED_OVERHEAD;

    beforeAll(() => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        for (let i = 0; i < 8; i++) {
            // Different colours, so that no file is a copy of another.
            const stripes: Rgb[] = [[200, 40 + i * 20, 30], [20, 90, 200 - i * 10], [240, 240, 240], [10, 10, 10]];
            writeSolidPsd(path.join(art, `huge-${i}.psd`), {
                width: SIDE, height: SIDE, composite: stripes, hasRealMergedData: true,
                records: [{ kind: 'pixel', name: 'paint', stripes }]
            });
        }
        preload = path.join(temp.folder, 'report-peak.js');
        fs.writeFileSync(preload, `process.on('exit', () => {
            const kb = /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1];
            process.stderr.write('\\nVmHWM ' + kb + '\\n');
        });\n`);
    });

    afterAll(() => temp?.remove());

    it('indexes them with 8 threads within the budget', async () => {
        const run = await runMeasured([path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js'),
            'index', art, '--archive', path.join(temp.folder, 'archive'), '--threads', '8'], preload);
        console.log(`indexing eight ${SIDE} x ${SIDE} PSDs, 8 threads: peak ${Math.round(run.peakBytes / MiB)} MiB `
            + `(budget ${DEFAULT_MEMORY_BUDGET_BYTES / MiB} MiB + overhead ${FIXED_OVERHEAD / MiB} MiB)`);
        expect(run.stdout, run.stderr).toMatch(/^8 indexed, 0 failed$/m);
        expect(run.code).toBe(0);
        expect(run.peakBytes).toBeGreaterThan(0);
        expect(run.peakBytes).toBeLessThan(limit);
    }, 300_000);

    it('views one (layer render, then pyramid) within the budget', async () => {
        const file = path.join(art, 'huge-3.psd');
        const out = path.join(temp.folder, 'viewed');
        fs.mkdirSync(out);
        const script = `
            const { WorkerThreadRenderPool } = require(${JSON.stringify(path.join(root, 'extensions/archive-core/lib/node/media/render-pool.js'))});
            const { DEFAULT_PARSE_LIMITS } = require(${JSON.stringify(path.join(root, 'packages/psd/lib/parse-limits.js'))});
            (async () => {
                const pool = new WorkerThreadRenderPool();
                const layers = await pool.run({ op: 'layers', file: ${JSON.stringify(file)}, asset: 'huge', visibility: {}, maxSize: 2048, limits: DEFAULT_PARSE_LIMITS });
                if (layers.ok) require('fs').writeFileSync(${JSON.stringify(path.join(out, 'layers.png'))}, layers.bytes);
                const pyramid = await pool.run({ op: 'pyramid', file: ${JSON.stringify(file)}, asset: 'huge', kind: 'psd',
                    folder: ${JSON.stringify(path.join(out, 'tiles'))}, temp: ${JSON.stringify(path.join(out, 'tiles.tmp'))}, limits: DEFAULT_PARSE_LIMITS });
                console.log(JSON.stringify({ layers: layers.ok || layers.error, pyramid }));
                await pool.destroy();
            })();`;
        const run = await runMeasured(['-e', script], preload);
        console.log(`viewing one ${SIDE} x ${SIDE} PSD (layer render, then pyramid): peak ${Math.round(run.peakBytes / MiB)} MiB `
            + `(budget ${DEFAULT_MEMORY_BUDGET_BYTES / MiB} MiB + overhead ${FIXED_OVERHEAD / MiB} MiB)`);
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ layers: true, pyramid: { ok: true, width: SIDE, height: SIDE } });
        // The layer render is the document, fitted in 2048 px: four stripes, the second blue.
        const { data, info } = await sharp(path.join(out, 'layers.png')).raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([2048, 2048]);
        expect([...data.subarray((768 * 2048 + 1000) * info.channels, (768 * 2048 + 1000) * info.channels + 3)]).toEqual([20, 90, 170]);
        expect(fs.readFileSync(path.join(out, 'tiles', 'image.dzi'), 'utf8')).toMatch(/Width="16000"/);
        expect(fs.existsSync(path.join(out, 'tiles', 'image_files', '14', '31_31.webp'))).toBe(true);
        expect(run.peakBytes).toBeLessThan(limit);
    }, 300_000);
});
