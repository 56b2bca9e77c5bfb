import type { Migration } from './migration';

/**
 * The leases the fleet server handed to worker sessions: which asset and
 * phase each lease token is for, and the worker token it was claimed
 * with, so a restarted server still serves a worker the sources of the
 * jobs it holds. The queue engine stays the judge of whether a lease is
 * live; rows are pruned once their lease is long over.
 */
export const workerLeasesSchema: Migration = {
    version: 21,
    name: 'worker-leases',
    up: db => db.exec(`
        CREATE TABLE worker_leases (
            lease_token TEXT PRIMARY KEY,
            asset_id INTEGER NOT NULL,
            phase TEXT NOT NULL,
            token_id TEXT NOT NULL,
            claimed_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX worker_leases_asset ON worker_leases(asset_id, token_id);
        CREATE INDEX worker_leases_claimed ON worker_leases(claimed_at);
    `)
};
