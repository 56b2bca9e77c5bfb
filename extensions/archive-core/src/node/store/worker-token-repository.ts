import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';

/** A worker token as the archive keeps it: never the secret, only its hash. */
export interface WorkerTokenRecord {
    readonly id: string;
    readonly label: string;
    /** ISO times. */
    readonly createdAt: string;
    readonly revokedAt?: string;
}

export const WorkerTokenRepository = Symbol('WorkerTokenRepository');

/** The worker tokens of the archive's fleet and the machines blocked from it. */
export interface WorkerTokenRepository {
    /** Keeps a new token by the hash of its secret. */
    add(token: WorkerTokenRecord, secretHash: string): Promise<void>;
    /** Every token, revoked ones included, oldest first. */
    list(): Promise<WorkerTokenRecord[]>;
    /** The token whose secret has this hash, revoked or not. */
    findByHash(secretHash: string): Promise<WorkerTokenRecord | undefined>;
    /** Revokes a token; answers false when there is no such token (revoking twice keeps the first time). */
    revoke(id: string, at: string): Promise<boolean>;
    /** Host names of the machines blocked from registering. */
    blockedHosts(): Promise<string[]>;
    block(hostname: string, at: string): Promise<void>;
    /** Answers false when the machine was not blocked. */
    unblock(hostname: string): Promise<boolean>;
}

interface TokenRow {
    id: string;
    label: string;
    created_at: string;
    revoked_at: string | null;
}

@injectable()
export class SqliteWorkerTokenRepository implements WorkerTokenRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async add(token: WorkerTokenRecord, secretHash: string): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => prepared(db, 'INSERT INTO worker_tokens (id, label, secret_hash, created_at) VALUES (?, ?, ?, ?)')
            .run(token.id, token.label, secretHash, token.createdAt));
    }

    async list(): Promise<WorkerTokenRecord[]> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, 'SELECT id, label, created_at, revoked_at FROM worker_tokens ORDER BY created_at, id').all() as TokenRow[];
        return rows.map(recordOf);
    }

    async findByHash(secretHash: string): Promise<WorkerTokenRecord | undefined> {
        const { database } = await this.store.open();
        const row = prepared(database.reader, 'SELECT id, label, created_at, revoked_at FROM worker_tokens WHERE secret_hash = ?').get(secretHash) as TokenRow | undefined;
        return row && recordOf(row);
    }

    async revoke(id: string, at: string): Promise<boolean> {
        const { database } = await this.store.open();
        return database.write(db => {
            if (!prepared(db, 'SELECT 1 FROM worker_tokens WHERE id = ?').get(id)) {
                return false;
            }
            prepared(db, 'UPDATE worker_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
            return true;
        });
    }

    async blockedHosts(): Promise<string[]> {
        const { database } = await this.store.open();
        return prepared(database.reader, 'SELECT hostname FROM worker_blocks ORDER BY hostname').pluck().all() as string[];
    }

    async block(hostname: string, at: string): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => prepared(db, 'INSERT INTO worker_blocks (hostname, blocked_at) VALUES (?, ?) ON CONFLICT (hostname) DO NOTHING').run(hostname, at));
    }

    async unblock(hostname: string): Promise<boolean> {
        const { database } = await this.store.open();
        return database.write(db => prepared(db, 'DELETE FROM worker_blocks WHERE hostname = ?').run(hostname).changes > 0);
    }
}

function recordOf(row: TokenRow): WorkerTokenRecord {
    return { id: row.id, label: row.label, createdAt: row.created_at, ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}) };
}
