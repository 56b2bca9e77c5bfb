import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import BetterSqlite3 = require('better-sqlite3');
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

/**
 * Runs a shell script in a mount namespace of its own, where it may mount a
 * tmpfs that nobody else sees and that goes away with it: as an unprivileged
 * user namespace where the kernel allows one, else (as root) a plain one.
 */
function inOwnMountNamespace(script: string, env: NodeJS.ProcessEnv): ReturnType<typeof spawnSync> {
    const attempts = [['--user', '--map-root-user', '--mount'], ['--mount']];
    let last: ReturnType<typeof spawnSync> | undefined;
    for (const flags of attempts) {
        const probe = spawnSync('unshare', [...flags, 'true']);
        if (probe.status === 0) {
            return spawnSync('unshare', [...flags, 'sh', '-ec', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
        }
        last = probe;
    }
    throw new Error(`This test mounts a small tmpfs to fill a disk for real, which needs mount namespaces (unshare): ${String(last?.stderr ?? '')}`);
}

/**
 * A run on a full disk (the archive's media folder on a 1 MB tmpfs): the
 * files whose thumbnails did not fit fail as "disk-full", their temporary
 * files are gone, and once there is space the next run indexes them, although
 * they did not change.
 */
describe('indexing onto a full disk', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let archive: string;
    let out: string;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        archive = path.join(temp.folder, 'archive');
        out = path.join(temp.folder, 'out');
        for (const folder of [art, path.join(archive, 'media'), out]) {
            fs.mkdirSync(folder, { recursive: true });
        }
        let state = 42;
        for (let i = 0; i < 24; i++) {
            // Noise does not compress: each preview takes about 180 KB.
            const pixels = Buffer.alloc(512 * 512 * 3);
            for (let p = 0; p < pixels.length; p++) {
                state = (state * 1103515245 + 12345) & 0x7fffffff;
                pixels[p] = state >> 23;
            }
            await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } }).png().toFile(path.join(art, `noise-${i}.png`));
        }
    }, 60_000);

    afterAll(() => temp.remove());

    it('fails the files that did not fit as disk-full, leaves no temporary file, and indexes them once there is space', () => {
        const result = inOwnMountNamespace(`
            mount -t tmpfs -o size=1m tmpfs "$ARCHIVE/media"
            node "$CLI" index "$ART" --archive "$ARCHIVE" --threads 2 > "$OUT/first.txt" 2> "$OUT/first.err" || true
            find "$ARCHIVE/media" -name '*.tmp' > "$OUT/temporary.txt"
            mount -o remount,size=64m "$ARCHIVE/media"
            node "$CLI" index "$ART" --archive "$ARCHIVE" --threads 2 > "$OUT/second.txt" 2> "$OUT/second.err" || true
            find "$ARCHIVE/media" -type f -exec sha256sum {} + > "$OUT/media.txt"
        `, { ARCHIVE: archive, ART: art, OUT: out, CLI: cli });
        expect(result.status, String(result.stderr)).toBe(0);
        const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');

        const first = read('first.txt');
        console.log(first.split('\n')[0]);
        const [, indexed, failed] = /^(\d+) indexed, (\d+) failed/.exec(first)!.map(Number);
        expect(indexed + failed).toBe(24);
        expect(failed).toBeGreaterThan(5);
        expect(first).toContain('disk-full: The disk is full (ENOSPC)');
        expect(read('temporary.txt')).toBe('');

        // Space again: the failed files come back although they did not change.
        expect(read('second.txt')).toMatch(new RegExp(`^${failed} indexed, 0 failed`));
        const db = new BetterSqlite3(path.join(archive, 'archive.sqlite'), { readonly: true });
        try {
            expect(db.prepare("SELECT state, count(*) AS n FROM files GROUP BY state").all()).toEqual([{ state: 'indexed', n: 24 }]);
        } finally {
            db.close();
        }
        // Every media file is whole: its content hashes to its name (the tmpfs went with the namespace; the listing was taken inside).
        const media = read('media.txt').trim().split('\n').map(line => line.split(/\s+/));
        expect(media.length).toBeGreaterThanOrEqual(48);
        for (const [sum, file] of media) {
            expect(path.basename(file)).toBe(sum);
        }
    });
});
