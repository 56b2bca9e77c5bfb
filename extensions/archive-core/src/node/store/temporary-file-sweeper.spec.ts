import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { ArchiveStore } from './archive-store';
import { STALE_TEMPORARY_MS, sweepTemporaryFiles } from './temporary-file-sweeper';

/** The id of a process that has ended. */
function deadPid(): number {
    return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/**
 * The sweep when an archive opens: temporary files of processes that ended
 * go, those another live process (the app, while the command-line tool
 * opens the archive) may still be writing stay, until they are old.
 */
describe('sweeping temporary files at open', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    beforeEach(() => temp = makeTempFolder());
    afterEach(() => temp.remove());

    const make = (relative: string, ageMs = 0, folder = false) => {
        const file = path.join(temp.folder, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (folder) {
            fs.mkdirSync(path.join(file, 'image_files', '0'), { recursive: true });
        } else {
            fs.writeFileSync(file, 'partial');
        }
        const when = new Date(Date.now() - ageMs);
        fs.utimesSync(file, when, when);
        return file;
    };

    it('removes what stopped processes left in media, tiles, layers and the inbox, and keeps what a live process is writing', async () => {
        const hash = 'ab'.repeat(32);
        const dead = deadPid();
        const gone = [
            make(`media/ab/ab/${hash}.${dead}.0a1b2c3d.tmp`),
            make(`media/ab/ab/${hash}.${process.pid}.99887766.tmp`, STALE_TEMPORARY_MS + 60_000),
            make(`tiles/${hash}.0a1b2c3d4e5f.tmp`, STALE_TEMPORARY_MS + 60_000, true),
            make(`layers/${hash}/3.webp.0a1b2c3d4e5f.tmp`, STALE_TEMPORARY_MS + 60_000),
            make('inbox/2024-05-01 10.00.00/sketches/.hero.psd.0a1b2c3d.upload', STALE_TEMPORARY_MS + 60_000)
        ];
        const live = [
            make(`media/ab/ab/${hash}.${process.pid}.0a1b2c3d.tmp`),
            make(`tiles/${hash}.aaaabbbbcccc.tmp`, 1000, true),
            make(`layers/${hash}/4.webp.aaaabbbbcccc.tmp`),
            make('inbox/2024-05-01 10.00.00/.hero.psd.aaaabbbb.upload')
        ];
        const kept = [make(`media/ab/ab/${hash}`, STALE_TEMPORARY_MS * 10), make('inbox/2024-05-01 10.00.00/hero.psd', STALE_TEMPORARY_MS * 10)];

        // Opening the archive sweeps.
        const container = createArchiveTestContainer(temp.folder);
        let report;
        try {
            report = await (await container.get<ArchiveStore>(ArchiveStore).open()).swept;
        } finally {
            await disposeArchiveTestContainer(container);
        }
        expect([...report.removed].sort()).toEqual([...gone].sort());
        expect([...report.kept].sort()).toEqual([...live].sort());
        for (const file of [...live, ...kept]) {
            expect(fs.existsSync(file), file).toBe(true);
        }
        for (const file of gone) {
            expect(fs.existsSync(file), file).toBe(false);
        }
    });

    it('answers an empty report for a new archive folder', async () => {
        expect(await sweepTemporaryFiles(path.join(temp.folder, 'not-there'))).toEqual({ removed: [], kept: [] });
    });
});
