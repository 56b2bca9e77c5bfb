import type { Migration } from './migration';

/**
 * The outbox of a job queue outside the archive (BullMQ on Redis, see
 * `jobs/bullmq/`): the jobs a transaction makes (the next phases of a
 * completed job, a sweep's missing work) are written here in that same
 * transaction, and handed to the queue once it committed. A crash between
 * the commit and the hand-over leaves them here for the next flush, so
 * no job the archive decided on is lost; a rolled-back transaction leaves none.
 */
export const jobOutboxSchema: Migration = {
    version: 20,
    name: 'job-outbox',
    up: db => db.exec(`
        CREATE TABLE job_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asset_id INTEGER NOT NULL,
            phase TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            priority INTEGER NOT NULL DEFAULT 0
        );
    `)
};
