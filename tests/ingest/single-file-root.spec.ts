import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

/** A file dropped onto the desktop app is indexed on its own, without its siblings. */
describe('a single file as an ingest root', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;

    beforeAll(async () => {
        temp = makeTempFolder();
        fs.mkdirSync(path.join(temp.folder, 'art'));
        for (const name of ['chosen.png', 'sibling.png']) {
            await sharp({ create: { width: 64, height: 48, channels: 3, background: name === 'chosen.png' ? '#ff0000' : '#00ff00' } })
                .png().toFile(path.join(temp.folder, 'art', name));
        }
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('indexes exactly that file', async () => {
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        const chosen = path.join(temp.folder, 'art', 'chosen.png');
        const result = await ingester.finished(await ingester.start(chosen));
        expect(result).toMatchObject({ total: 1, indexed: 1, failed: 0 });
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare('SELECT path FROM files').pluck().all()).toEqual([chosen]);
    });
});
