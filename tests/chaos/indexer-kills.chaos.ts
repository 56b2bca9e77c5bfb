import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writePsdBuffer, Layer } from 'ag-psd';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { queryValue, spawnIndexer, until } from '../ingest/cli-process';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
const KILLS = 20;
const GENERATED_PSDS = 24;

/** Mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A PSD of a few coloured layers; `variant` changes its content (an artist's edit). */
function generatedPsd(index: number, variant: number): Buffer {
    const next = random(index * 7919 + variant * 104729 + 1);
    const fill = (width: number, height: number): ImageData => {
        const data = new Uint8ClampedArray(width * height * 4);
        const colour = [next() * 255, next() * 255, next() * 255, 255];
        for (let i = 0; i < data.length; i += 4) {
            data.set(colour, i);
        }
        return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
    };
    const layers: Layer[] = [
        { name: 'Background', imageData: fill(384, 256) },
        { name: `Shape ${variant}`, imageData: fill(120, 90), left: 40, top: 30, right: 160, bottom: 120 },
        { name: 'Group', opened: true, children: [{ name: 'Detail', imageData: fill(60, 60), left: 200, top: 100, right: 260, bottom: 160 }] }
    ];
    return Buffer.from(writePsdBuffer({ width: 384, height: 256, imageData: fill(384, 256), children: layers }));
}

function sha256(bytes: Buffer): string {
    return crypto.createHash('sha256').update(bytes).digest('hex');
}

function temporaryFiles(folder: string): string[] {
    if (!fs.existsSync(folder)) {
        return [];
    }
    return (fs.readdirSync(folder, { recursive: true }) as string[]).filter(name => /\.tmp$|\.upload$/.test(name));
}

/**
 * Kills the indexer (a real `imageparser index` process, SIGKILL) at 20
 * random points of a run over the shared corpus and generated PSDs, some of
 * them edited between kills, resuming after each; then checks the archive:
 * SQLite's integrity and foreign keys, whole assets, one asset per content
 * and one file per path, every file's content and version, every media
 * file's SHA-256 equal to its name, and no temporary file left after the
 * next open. The seed is printed; IMAGEPARSER_CHAOS_SEED replays a run.
 */
describe('killing the indexer at random points', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let archive: string;
    let database: string;
    const seed = Number(process.env.IMAGEPARSER_CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31);
    const next = random(seed);

    beforeAll(() => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        archive = path.join(temp.folder, 'archive');
        database = path.join(archive, 'archive.sqlite');
        fs.cpSync(corpus, path.join(art, 'corpus'), { recursive: true });
        fs.mkdirSync(path.join(art, 'generated'));
        for (let i = 0; i < GENERATED_PSDS; i++) {
            fs.writeFileSync(path.join(art, 'generated', `scene-${i}.psd`), generatedPsd(i, 0));
        }
    }, 60_000);
    afterAll(() => temp.remove());

    /** The checks that hold after any kill: SQLite's own, and whole assets only. */
    function checkStore(db: BetterSqlite3.Database, when: string): void {
        expect(db.pragma('integrity_check', { simple: true }), when).toBe('ok');
        expect(db.pragma('foreign_key_check'), when).toEqual([]);
        expect(db.prepare('SELECT content_hash FROM assets GROUP BY content_hash HAVING count(*) > 1').all(), when).toEqual([]);
        expect(db.prepare('SELECT path FROM files GROUP BY path HAVING count(*) > 1').all(), when).toEqual([]);
        expect(db.prepare(`SELECT count(*) FROM assets a WHERE a.thumbnail_hash IS NULL OR a.preview_hash IS NULL OR a.phash IS NULL
            OR NOT EXISTS (SELECT 1 FROM phase_states p WHERE p.asset_id = a.id AND p.phase = 'parse' AND p.state = 'done')
            OR NOT EXISTS (SELECT 1 FROM asset_text t WHERE t.rowid = a.id)`).pluck().get(), when).toBe(0);
        expect(db.prepare("SELECT count(*) FROM files WHERE state = 'indexed' AND asset_id IS NULL").pluck().get(), when).toBe(0);
        // Every file with content has exactly one current version, and it is the file's content.
        expect(db.prepare(`SELECT count(*) FROM files f WHERE f.asset_id IS NOT NULL AND 1 != (SELECT count(*) FROM file_versions v
            WHERE v.file_id = f.id AND v.replaced_at IS NULL AND v.asset_id = f.asset_id)`).pluck().get(), when).toBe(0);
        // An earlier version no file holds is superseded; an asset a file holds is not.
        expect(db.prepare(`SELECT count(*) FROM assets a WHERE a.superseded != (NOT EXISTS (SELECT 1 FROM files f WHERE f.asset_id = a.id))
            AND (a.superseded = 0 OR EXISTS (SELECT 1 FROM files f WHERE f.asset_id = a.id))`).pluck().get(), when).toBe(0);
    }

    function open(): BetterSqlite3.Database {
        const db = new BetterSqlite3(database, { readonly: true, timeout: 5000 });
        sqliteVec.load(db);
        return db;
    }

    it('keeps the archive whole through 20 kills and completes the run', async () => {
        console.log(`chaos seed ${seed} (IMAGEPARSER_CHAOS_SEED=${seed} replays it)`);
        const variants = new Map<number, number>();
        const points: string[] = [];
        // The points of the run (files indexed) where the indexer dies, spread over all of it.
        const targets = Array.from({ length: KILLS }, () => Math.floor(next() * (386 + GENERATED_PSDS))).sort((a, b) => a - b);
        const indexedCount = () => queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'") ?? 0;
        const started = Date.now();
        for (let kill = 1; kill <= KILLS; kill++) {
            // Sometimes an artist saves a generated PSD again between two crashes: new content, or the one before.
            if (next() < 0.35) {
                const index = Math.floor(next() * GENERATED_PSDS);
                const variant = next() < 0.3 ? Math.max(0, (variants.get(index) ?? 0) - 1) : (variants.get(index) ?? 0) + 1;
                variants.set(index, variant);
                const file = path.join(art, 'generated', `scene-${index}.psd`);
                fs.writeFileSync(file, generatedPsd(index, variant));
                const when = new Date(Date.parse('2024-01-01T00:00:00Z') + kill * 60_000);
                fs.utimesSync(file, when, when);
            }
            const before = indexedCount();
            const indexer = spawnIndexer(art, archive, 2);
            // Mostly at the next point of the run (discovery, hashing, parsing, storing), sometimes while the process starts.
            const starting = next() < 0.15;
            if (!starting) {
                await until(() => indexer.child.exitCode !== null || (indexedCount() >= targets[kill - 1]
                    && (queryValue<number>(database, 'SELECT count(*) FROM ingest_workers WHERE pid = ?', indexer.child.pid) ?? 0) > 0), 120_000, `kill point ${kill}`);
            }
            const delay = Math.floor(next() * (starting ? 600 : 300));
            await new Promise(resolve => setTimeout(resolve, delay));
            indexer.child.kill('SIGKILL');
            const end = await indexer.exited;
            points.push(`${starting ? 'starting' : `at ${targets[kill - 1]}`}+${delay}ms: ${before}→${indexedCount()}`);
            if (fs.existsSync(database)) {
                const db = open();
                try {
                    checkStore(db, `after kill ${kill} at ${delay} ms (${String(end)})`);
                } finally {
                    db.close();
                }
            }
        }
        const leftBehind = temporaryFiles(path.join(archive, 'media')).length;

        const last = spawnIndexer(art, archive, 2);
        expect(await last.exited, last.stderr.join('')).toBe(0);
        const summary = last.stdout.join('').split('\n')[0];
        console.log(`kills (when, indexed files before → after): ${points.join(', ')}`);
        console.log(`${KILLS} kills, ${leftBehind} temporary files left by them, then: ${summary} (${Math.round((Date.now() - started) / 1000)} s)`);

        const db = open();
        try {
            checkStore(db, 'after the last run');
            expect(db.prepare('SELECT state FROM ingest_runs ORDER BY id DESC LIMIT 1').pluck().get()).toBe('done');
            expect(db.prepare("SELECT count(*) FROM files WHERE state = 'pending'").pluck().get()).toBe(0);
            expect(db.prepare('SELECT count(*) FROM ingest_workers').pluck().get()).toBe(0);
            expect(db.prepare('SELECT count(*) FROM files WHERE claimed_by IS NOT NULL').pluck().get()).toBe(0);
            // The corpus: 386 readable files and the 5 broken on purpose; every generated PSD.
            expect(db.prepare("SELECT state, count(*) AS n FROM files WHERE path LIKE ? GROUP BY state ORDER BY state").all(`${path.join(art, 'corpus')}/%`))
                .toEqual([{ state: 'failed', n: 5 }, { state: 'indexed', n: 386 }]);
            expect(db.prepare("SELECT count(*) FROM files WHERE state = 'indexed' AND path LIKE ?").pluck().get(`${path.join(art, 'generated')}/%`)).toBe(GENERATED_PSDS);
            // Each indexed file is known by the content it has on disk now.
            for (const file of db.prepare("SELECT path, content_hash FROM files WHERE state = 'indexed'").all() as { path: string; content_hash: string }[]) {
                expect(file.content_hash, file.path).toBe(sha256(fs.readFileSync(file.path)));
            }
            // Every media file is whole (its bytes hash to its name), and every asset's thumbnail and preview are there.
            const media = path.join(archive, 'media');
            const names = new Set<string>();
            for (const name of fs.readdirSync(media, { recursive: true }) as string[]) {
                const full = path.join(media, name);
                if (fs.statSync(full).isFile()) {
                    expect(sha256(fs.readFileSync(full)), full).toBe(path.basename(full));
                    names.add(path.basename(full));
                }
            }
            for (const asset of db.prepare('SELECT thumbnail_hash, preview_hash FROM assets').all() as { thumbnail_hash: string; preview_hash: string }[]) {
                expect(names.has(asset.thumbnail_hash) && names.has(asset.preview_hash)).toBe(true);
            }
        } finally {
            db.close();
        }
        // The last run opened the archive after the kills: nothing temporary is left anywhere in it.
        expect(temporaryFiles(archive)).toEqual([]);
    }, 240_000);
});
