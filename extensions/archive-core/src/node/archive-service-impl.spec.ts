import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveErrors, ArchiveService } from '../common/archive-protocol';
import { ArchiveStore } from './store/archive-store';
import { AssetRepository } from './store/asset-repository';
import { ArchiveDatabase } from './store/database';
import { ARCHIVE_MIGRATIONS } from './store/migrations';
import { createArchiveTestContainer, makeTempFolder } from './test/archive-test-container';
import { LocalPathPolicy } from './files/local-path-policy';

describe('ArchiveServiceImpl', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let local: boolean;

    beforeEach(() => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        local = true;
        container.bind(LocalPathPolicy).toConstantValue({ allowsLocalPaths: () => local });
    });
    afterEach(() => {
        container.get<ArchiveStore>(ArchiveStore).close();
        temp.remove();
    });

    it('reports the real location, schema version, asset count and SQLite versions', async () => {
        const service = container.get<ArchiveService>(ArchiveService);
        const empty = await service.getStatus();

        // A second, read-only connection of its own to the same file.
        const other = ArchiveDatabase.open(path.join(temp.folder, 'archive.sqlite'), { readOnly: true });
        const sqliteVersion = other.sqliteVersion();
        const schemaVersion = other.schemaVersion;
        other.close();
        expect(sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
        expect(schemaVersion).toBe(ARCHIVE_MIGRATIONS[ARCHIVE_MIGRATIONS.length - 1].version);

        expect(empty).toEqual({
            location: temp.folder,
            locationSource: 'environment',
            schemaVersion,
            assetCount: 0,
            sqliteVersion,
            sqliteVecVersion: 'v0.1.9',
            readOnly: false
        });

        // A backend that does not tell paths (a team deployment) names the archive's folder only.
        local = false;
        expect((await service.getStatus()).location).toBe(path.basename(temp.folder));
        local = true;
        expect((await service.getStatus()).location).toBe(temp.folder);

        const assets = container.get<AssetRepository>(AssetRepository);
        await assets.add({ contentHash: 'a'.repeat(64), kind: 'png' });
        await assets.add({ contentHash: 'b'.repeat(64), kind: 'psd' });
        await assets.add({ contentHash: 'a'.repeat(64), kind: 'png' });
        expect((await service.getStatus()).assetCount).toBe(2);
    });

    it('rejects with the reason, the file and the detail when the archive file cannot be used', async () => {
        const fs = await import('fs');
        const file = path.join(temp.folder, 'archive.sqlite');
        fs.writeFileSync(file, 'not a database at all');
        const error = await container.get<ArchiveService>(ArchiveService).getStatus().catch(caught => caught);
        expect(ArchiveErrors.Unavailable.is(error)).toBe(true);
        expect(error.data).toEqual({ reason: 'not-sqlite', file, detail: 'the file is not an SQLite database' });
        // Once the file is moved away, the next call opens a new archive without a restart.
        fs.renameSync(file, `${file}.txt`);
        expect((await container.get<ArchiveService>(ArchiveService).getStatus()).assetCount).toBe(0);
    });
});
