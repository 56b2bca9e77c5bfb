import * as path from 'path';
import type { Database } from 'better-sqlite3';
import { ArchiveDatabase } from '../../extensions/archive-core/src/node/store/database';
import { SqliteJobQueue, SqliteJobQueueOptions } from '../../extensions/archive-core/src/node/jobs/sqlite-job-queue';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

/**
 * The SQLite engine with its clock moved forward by `shiftMs`: still SQLite's
 * clock, read in each transaction, only later, so tests need not sleep.
 */
export class ShiftedClockJobQueue extends SqliteJobQueue {
    shiftMs = 0;

    protected override now(db: Database): number {
        return super.now(db) + this.shiftMs;
    }
}

/** Registers `count` assets (ids 1..count on a fresh archive) for jobs to point at; answers their ids. */
export function seedAssets(db: ArchiveDatabase, count: number): number[] {
    return db.write(connection => {
        const first = (connection.prepare('SELECT coalesce(max(id), 0) + 1 FROM assets').pluck().get() as number);
        connection.prepare(`WITH RECURSIVE n(i) AS (SELECT @first UNION ALL SELECT i + 1 FROM n WHERE i < @first + @count - 1)
            INSERT INTO assets (id, content_hash, kind, registered_at) SELECT i, 'content-' || i, 'png', '2026-01-01T00:00:00.000Z' FROM n`).run({ first, count });
        return Array.from({ length: count }, (_, i) => first + i);
    });
}

/** A fresh archive file in a temporary folder, with `assets` assets. */
export function openJobArchive(assets: number): { database: ArchiveDatabase; file: string; assets: number[]; dispose: () => void } {
    const temp = makeTempFolder('imageparser-jobs-');
    const file = path.join(temp.folder, 'archive.sqlite');
    let database: ArchiveDatabase | undefined;
    try {
        database = ArchiveDatabase.open(file);
        const opened = database;
        return { database: opened, file, assets: seedAssets(opened, assets), dispose: () => { opened.close(); temp.remove(); } };
    } catch (error) {
        database?.close();
        temp.remove();
        throw error;
    }
}

/** A shifted-clock queue on a fresh archive. */
export function openShiftedQueue(options: SqliteJobQueueOptions, assets = 40): ReturnType<typeof openJobArchive> & { queue: ShiftedClockJobQueue } {
    const archive = openJobArchive(assets);
    return { ...archive, queue: new ShiftedClockJobQueue(archive.database, options) };
}
