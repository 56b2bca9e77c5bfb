import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

function crc32(bytes: Buffer): number {
    let crc = ~0;
    for (const byte of bytes) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) {
            crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
        }
    }
    return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

/** A valid PNG whose header claims 100,000 x 100,000 pixels, with a few bytes of real data: a decompression bomb. */
function pngBomb(): Buffer {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(100_000, 0);
    header.writeUInt32BE(100_000, 4);
    header.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        pngChunk('IHDR', header),
        pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(1 << 20))),
        pngChunk('IEND', Buffer.alloc(0))
    ]);
}

/** A PSD whose layer section claims 32,767 layers and then ends. */
function psdWithAbsurdLayerCount(): Buffer {
    const header = Buffer.alloc(26);
    header.write('8BPS', 0, 'latin1');
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(3, 12);
    header.writeUInt32BE(64, 14);
    header.writeUInt32BE(64, 18);
    header.writeUInt16BE(8, 22);
    header.writeUInt16BE(3, 24);
    const sections = Buffer.alloc(4 + 4 + 4 + 4 + 2);
    sections.writeUInt32BE(0, 0); // colour mode data
    sections.writeUInt32BE(0, 4); // image resources
    sections.writeUInt32BE(0x7ffffff0, 8); // layer and mask information: 2 GB
    sections.writeUInt32BE(0x7fffffe0, 12); // layer info
    sections.writeInt16BE(32767, 16); // layer count
    return Buffer.concat([header, sections, Buffer.alloc(64, 0xff)]);
}

describe('a hostile set of files', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let folder: string;
    const peak = { rss: 0 };

    beforeAll(async () => {
        temp = makeTempFolder();
        folder = path.join(temp.folder, 'hostile');
        fs.mkdirSync(folder);
        const psd = writePsdBuffer({
            width: 300, height: 200,
            imageData: { width: 300, height: 200, data: new Uint8ClampedArray(300 * 200 * 4).fill(200) } as unknown as ImageData,
            children: [{ name: 'Layer', imageData: { width: 300, height: 200, data: new Uint8ClampedArray(300 * 200 * 4).fill(120) } as unknown as ImageData }]
        });
        const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366aa' } }).jpeg().toBuffer();
        const png = await sharp({ create: { width: 400, height: 300, channels: 4, background: '#aa3366' } }).png().toBuffer();
        fs.writeFileSync(path.join(folder, 'truncated.psd'), psd.subarray(0, Math.floor(psd.length / 3)));
        fs.writeFileSync(path.join(folder, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
        fs.writeFileSync(path.join(folder, 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
        fs.writeFileSync(path.join(folder, 'bomb-100000x100000.png'), pngBomb());
        fs.writeFileSync(path.join(folder, 'absurd-layer-count.psd'), psdWithAbsurdLayerCount());
        fs.writeFileSync(path.join(folder, 'zero-bytes.psd'), Buffer.alloc(0));
        fs.writeFileSync(path.join(folder, 'zero-bytes.png'), Buffer.alloc(0));
        fs.writeFileSync(path.join(folder, 'notes.psd'), 'These are meeting notes, not a Photoshop document.\n'.repeat(50));
        fs.writeFileSync(path.join(folder, 'fine.png'), png);
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 2, timeoutMs: 30_000, memoryMb: 512 });
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('gives each bad file one clear error, indexes the good one, and stays within bounded memory', async () => {
        const sampler = setInterval(() => peak.rss = Math.max(peak.rss, process.memoryUsage().rss), 20);
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        const result = await ingester.finished(await ingester.start(folder));
        clearInterval(sampler);

        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const rows = database.reader.prepare('SELECT path, state, error_code, error FROM files ORDER BY path').all() as
            { path: string; state: string; error_code: string; error: string }[];
        const byName = Object.fromEntries(rows.map(row => [path.basename(row.path), row]));
        for (const row of rows) {
            console.log(`  ${path.basename(row.path)}: ${row.state}${row.error_code ? ` ${row.error_code}: ${row.error}` : ''}`);
        }
        console.log(`  peak resident memory of the test process: ${Math.round(peak.rss / 1024 / 1024)} MiB`);
        expect(result).toMatchObject({ state: 'done', total: 9, indexed: 1, failed: 8 });
        expect(byName['fine.png'].state).toBe('indexed');
        expect(byName['bomb-100000x100000.png'].error_code).toBe('too-large');
        expect(byName['bomb-100000x100000.png'].error).toContain('100000 x 100000');
        expect(byName['zero-bytes.psd'].error_code).toBe('empty');
        expect(byName['zero-bytes.png'].error_code).toBe('empty');
        expect(byName['notes.psd'].error_code).toBe('unsupported-format');
        expect(byName['truncated.jpg'].error_code).toBe('truncated');
        expect(['truncated', 'corrupt']).toContain(byName['truncated.png'].error_code);
        expect(byName['truncated.psd'].error_code).toBe('truncated');
        expect(['truncated', 'corrupt', 'too-large']).toContain(byName['absurd-layer-count.psd'].error_code);
        for (const row of rows.filter(r => r.state === 'failed')) {
            expect(row.error.length, row.path).toBeGreaterThan(20);
        }
        expect(peak.rss).toBeLessThan(1536 * 1024 * 1024);
    });
});
