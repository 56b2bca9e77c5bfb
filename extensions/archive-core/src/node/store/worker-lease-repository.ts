import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';

/** A lease the fleet server handed out: its job's asset and phase, and the worker token it was claimed with. */
export interface WorkerLeaseRecord {
    readonly leaseToken: string;
    readonly assetId: number;
    readonly phase: string;
    readonly tokenId: string;
}

export const WorkerLeaseRepository = Symbol('WorkerLeaseRepository');

/** What leases the fleet server handed to worker sessions, kept across its restarts. */
export interface WorkerLeaseRepository {
    /** Records leases just claimed, in one transaction (server time `at`, ms). */
    record(leases: readonly WorkerLeaseRecord[], at: number): Promise<void>;
    find(leaseToken: string): Promise<WorkerLeaseRecord | undefined>;
    /** The leases of an asset claimed with a worker token, newest first. */
    ofAsset(assetId: number, tokenId: string): Promise<WorkerLeaseRecord[]>;
    /** Forgets leases claimed before `before` (ms). */
    prune(before: number): Promise<number>;
}

interface LeaseRow {
    lease_token: string;
    asset_id: number;
    phase: string;
    token_id: string;
}

@injectable()
export class SqliteWorkerLeaseRepository implements WorkerLeaseRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async record(leases: readonly WorkerLeaseRecord[], at: number): Promise<void> {
        if (!leases.length) {
            return;
        }
        const { database } = await this.store.open();
        database.write(db => {
            const insert = prepared(db, `INSERT INTO worker_leases (lease_token, asset_id, phase, token_id, claimed_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (lease_token) DO UPDATE SET asset_id = excluded.asset_id, phase = excluded.phase, token_id = excluded.token_id, claimed_at = excluded.claimed_at`);
            for (const lease of leases) {
                insert.run(lease.leaseToken, lease.assetId, lease.phase, lease.tokenId, at);
            }
        });
    }

    async find(leaseToken: string): Promise<WorkerLeaseRecord | undefined> {
        const { database } = await this.store.open();
        const row = prepared(database.reader, 'SELECT lease_token, asset_id, phase, token_id FROM worker_leases WHERE lease_token = ?').get(leaseToken) as LeaseRow | undefined;
        return row && recordOf(row);
    }

    async ofAsset(assetId: number, tokenId: string): Promise<WorkerLeaseRecord[]> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, `SELECT lease_token, asset_id, phase, token_id FROM worker_leases
            WHERE asset_id = ? AND token_id = ? ORDER BY claimed_at DESC LIMIT 16`).all(assetId, tokenId) as LeaseRow[];
        return rows.map(recordOf);
    }

    async prune(before: number): Promise<number> {
        const { database } = await this.store.open();
        return database.write(db => prepared(db, 'DELETE FROM worker_leases WHERE claimed_at < ?').run(before).changes);
    }
}

function recordOf(row: LeaseRow): WorkerLeaseRecord {
    return { leaseToken: row.lease_token, assetId: row.asset_id, phase: row.phase, tokenId: row.token_id };
}
