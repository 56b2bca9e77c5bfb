import { spawnSync } from 'child_process';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveChangeServiceImpl } from '../archive-change-service-impl';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { ArchiveChangeWatcher } from './archive-change-watcher';
import { ArchiveLocation } from './archive-location';
import { ArchiveStore } from './archive-store';

const root = path.resolve(__dirname, '../../../../..');

/** Another process writes to the archive, as the `imageparser` command does while the app runs. */
function writeFromAnotherProcess(databaseFile: string, tag: string): void {
    const script = `const Database = require('better-sqlite3');
        const db = new Database(process.argv[1], { timeout: 5000 });
        db.prepare('INSERT INTO tags (name) VALUES (?)').run(process.argv[2]);
        db.close();`;
    const child = spawnSync(process.execPath, ['-e', script, databaseFile, tag], { cwd: root, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
}

describe('the archive change watcher', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;

    beforeEach(() => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
    });

    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('tells connected clients when another process commits to the archive, and only then', async () => {
        const watcher = container.get<ArchiveChangeWatcher>(ArchiveChangeWatcher);
        expect(watcher.check()).toBe(false);
        await container.get<ArchiveStore>(ArchiveStore).open();
        const service = container.get(ArchiveChangeServiceImpl);
        let notices = 0;
        service.setClient({ onArchiveChanged: () => notices++ });

        expect(watcher.check()).toBe(true);
        expect(watcher.check()).toBe(false);
        expect(notices).toBe(1);

        writeFromAnotherProcess(ArchiveLocation.databaseFile({ folder: temp.folder, source: 'environment' }), 'from another process');
        expect(watcher.check()).toBe(true);
        expect(notices).toBe(2);
        expect(watcher.check()).toBe(false);

        service.dispose();
        writeFromAnotherProcess(ArchiveLocation.databaseFile({ folder: temp.folder, source: 'environment' }), 'nobody listens');
        expect(watcher.check()).toBe(true);
        expect(notices).toBe(2);
    });

    it('notices commits of this process too, and does not open an archive that is closed', async () => {
        const watcher = container.get<ArchiveChangeWatcher>(ArchiveChangeWatcher);
        const store = container.get<ArchiveStore>(ArchiveStore);
        const { database } = await store.open();
        watcher.check();
        database.write(db => db.prepare('INSERT INTO tags (name) VALUES (?)').run('in process'));
        expect(watcher.check()).toBe(true);

        store.close();
        expect(watcher.check()).toBe(false);
        expect(store.opened()).toBeUndefined();
    });
});
