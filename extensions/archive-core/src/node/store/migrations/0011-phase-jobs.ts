import type { Migration } from './migration';

/**
 * The embedded job queue of the phases (see `jobs/sqlite-job-queue.ts` and
 * docs/adr-0007-job-queue.md). Every time is milliseconds since the epoch on
 * SQLite's clock, never a worker's.
 *
 * - One active (queued or leased) job per (asset, phase): the partial unique
 *   index `phase_jobs_active`; finished rows of a pair do not block a new job.
 * - A lease is proved by a token `<job id>.<lease sequence>.<mac>`: the MAC
 *   (HMAC-SHA-256 with the archive's `phase_job_secret`) tells a token this
 *   archive once issued (stale when it is not the job's current lease) from
 *   an unknown one, with no history table. `lease_seq` grows with every
 *   claim and is never reset; `AUTOINCREMENT` keeps job ids from being reused.
 * - `state_since` is when the job entered its state: the oldest queued job's
 *   age, and the rate of done jobs, are read from `phase_jobs_progress`;
 *   `phase_jobs_done` finds the done rows old enough to prune.
 *   Done rows are kept a while for that and for idempotent repeats, then
 *   pruned; a new job of a pair removes that pair's finished rows.
 */
export const phaseJobsSchema: Migration = {
    version: 11,
    name: 'phase-jobs',
    up: db => db.exec(`
        CREATE TABLE phase_jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done', 'failed')),
            priority INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            not_before INTEGER NOT NULL DEFAULT 0,
            lease_seq INTEGER NOT NULL DEFAULT 0,
            lease_token TEXT,
            lease_expires_at INTEGER,
            worker_id TEXT,
            error_code TEXT,
            error_message TEXT,
            enqueued_at INTEGER NOT NULL,
            state_since INTEGER NOT NULL,
            finished_at INTEGER
        );
        CREATE UNIQUE INDEX phase_jobs_active ON phase_jobs(asset_id, phase) WHERE state IN ('queued', 'leased');
        CREATE INDEX phase_jobs_asset ON phase_jobs(asset_id, phase);
        CREATE INDEX phase_jobs_claim ON phase_jobs(phase, priority DESC, id) WHERE state = 'queued';
        CREATE INDEX phase_jobs_leases ON phase_jobs(lease_expires_at) WHERE state = 'leased';
        CREATE INDEX phase_jobs_progress ON phase_jobs(phase, state, state_since);
        CREATE INDEX phase_jobs_done ON phase_jobs(state_since) WHERE state = 'done';

        CREATE TABLE phase_job_secret (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            secret BLOB NOT NULL
        );
        INSERT INTO phase_job_secret (id, secret) VALUES (1, randomblob(32));
    `)
};
