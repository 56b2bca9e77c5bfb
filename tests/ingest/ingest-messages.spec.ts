import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import BetterSqlite3 = require('better-sqlite3');
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { CLI } from './cli-process';

/** The 26-byte header of a PSD (version 1) or PSB (version 2) claiming these dimensions, RGB, then empty sections. */
function psdHeader(version: 1 | 2, width: number, height: number, channels: number, depth: number): Buffer {
    const bytes = Buffer.alloc(26 + 4 + 4 + (version === 1 ? 4 : 8) + 2);
    bytes.write('8BPS', 0, 'latin1');
    bytes.writeUInt16BE(version, 4);
    bytes.writeUInt16BE(channels, 12);
    bytes.writeUInt32BE(height, 14);
    bytes.writeUInt32BE(width, 18);
    bytes.writeUInt16BE(depth, 22);
    bytes.writeUInt16BE(3, 24);
    return bytes;
}

/** A small PSD whose third `8BIM` signature is overwritten with raw bytes: ag-psd refuses its layer tree with those bytes in its message. */
function psdWithBadSignature(): Buffer {
    const pixels = (width: number, height: number) => {
        const data = new Uint8ClampedArray(width * height * 4);
        for (let i = 0; i < data.length; i += 4) {
            data.set([10, 200, 30, 255], i);
        }
        return { width, height, data } as unknown as ImageData;
    };
    const bytes = Buffer.from(writePsdBuffer({ width: 64, height: 48, imageData: pixels(64, 48), children: [{ name: 'Layer', imageData: pixels(64, 48) }] }));
    let at = -1;
    for (let n = 0; n < 3; n++) {
        at = bytes.indexOf('8BIM', at + 1, 'latin1');
    }
    bytes.set([0x00, 0x01, 0x89, 0xff], at);
    return bytes;
}

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * What indexing tells people: the real reason a document is too large, no
 * raw bytes of a file in a note or an error, one line per file however it
 * is named, and how many links and special files were left out.
 */
describe('ingest messages', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(path.join(art, 'refs'), { recursive: true });
        const elsewhere = path.join(temp.folder, 'elsewhere');
        fs.mkdirSync(elsewhere);
        await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toFile(path.join(art, 'ok.png'));
        await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 9, g: 9, b: 9 } } }).png().toFile(path.join(elsewhere, 'outside.png'));
        fs.writeFileSync(path.join(art, 'huge-decode.psd'), psdHeader(1, 29_999, 29_999, 4, 8));
        fs.writeFileSync(path.join(art, 'huge-pixels.psb'), psdHeader(2, 40_000, 30_000, 3, 8));
        fs.writeFileSync(path.join(art, 'bad-layers.psd'), psdWithBadSignature());
        fs.writeFileSync(path.join(art, 'hero\nsketch.png'), 'not a png at all');
        fs.writeFileSync(path.join(art, 'evil\u001b[31m\u202e.psd'), 'not a psd either, but long enough for a header');
        fs.symlinkSync(path.join(art, 'ok.png'), path.join(art, 'link.png'));
        fs.symlinkSync(elsewhere, path.join(art, 'refs', 'linked-folder'));
        execFileSync('mkfifo', [path.join(art, 'pipe.png')]);
    }, 60_000);
    afterAll(() => temp.remove());

    it('prints one line per failure with names and messages escaped, the real reason a document is too large, and what was skipped', () => {
        const archive = path.join(temp.folder, 'archive-cli');
        const result = spawnSync(process.execPath, [CLI, 'index', art, '--archive', archive, '--threads', '2'], { encoding: 'utf8', timeout: 60_000 });
        expect(result.status, result.stderr).toBe(0);
        const lines = result.stdout.trimEnd().split('\n');
        console.log(result.stdout);
        expect(lines[0]).toBe('2 indexed, 4 failed');
        const failures = lines.slice(1, 5);
        expect(failures.map(line => line.split(':')[0])).toEqual(['  evil\\x1b[31m\\u{202e}.psd', '  hero\\nsketch.png', '  huge-decode.psd', '  huge-pixels.psb']);
        expect(failures[2]).toBe('  huge-decode.psd: too-large: Decoding the document would take about 3.4 GiB of memory (29999 x 29999 pixels, 4 channels of 8 bits), over the limit of 1 GiB.');
        expect(failures[3]).toBe('  huge-pixels.psb: too-large: The document claims 40000 x 30000 pixels, over the limit of 1,000,000,000 pixels.');
        expect(lines[5]).toBe('skipped 2 symbolic links and 1 FIFO, socket or device: only regular files are indexed');
        expect(lines).toHaveLength(6);
        for (const line of [...lines, ...result.stderr.split('\n')]) {
            expect(line).not.toMatch(UNPRINTABLE);
        }

        // The note about the unreadable layer tree is stored without the raw bytes.
        const db = new BetterSqlite3(path.join(archive, 'archive.sqlite'), { readonly: true });
        try {
            const notes = db.prepare("SELECT a.notes FROM assets a JOIN files f ON f.asset_id = a.id WHERE f.path LIKE '%bad-layers.psd'").pluck().get() as string;
            expect(notes).toMatch(/^The layer tree was not read: Invalid signature: '.*\\x.*'/);
            expect(notes).not.toMatch(UNPRINTABLE);
            for (const error of db.prepare('SELECT error FROM files WHERE error IS NOT NULL').pluck().all() as string[]) {
                expect(error).not.toMatch(UNPRINTABLE);
            }
        } finally {
            db.close();
        }
    });

    it('tells the app how many links and special files the run skipped', async () => {
        const container: Container = createArchiveTestContainer(path.join(temp.folder, 'archive-app'));
        try {
            const ingester = container.get<ArchiveIngester>(ArchiveIngester);
            const progress = await ingester.finished(await ingester.start(art));
            expect(progress).toMatchObject({ state: 'done', indexed: 2, failed: 4, skipped: { links: 2, special: 1 } });
        } finally {
            await disposeArchiveTestContainer(container);
        }
    });
});
