import type { Migration } from './migration';

/**
 * The worker fleet's access: tokens an admin issues to worker machines (only
 * a hash of each secret is kept; a revoked token keeps its row, with the
 * time it was revoked) and the machines blocked from registering, by
 * host name.
 */
export const workerTokensSchema: Migration = {
    version: 19,
    name: 'worker-tokens',
    up: db => db.exec(`
        CREATE TABLE worker_tokens (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        ) WITHOUT ROWID;
        CREATE TABLE worker_blocks (
            hostname TEXT PRIMARY KEY,
            blocked_at TEXT NOT NULL
        ) WITHOUT ROWID;
    `)
};
