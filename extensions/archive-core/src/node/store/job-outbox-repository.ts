import * as crypto from 'crypto';
import type { Database } from 'better-sqlite3';
import type { JobRequest } from '../jobs/job-queue';
import { prepared } from './database';

/** A job waiting in the outbox to be handed to an outside queue. */
export interface OutboxEntry extends JobRequest {
    readonly id: number;
}

/**
 * The SQL of the job outbox (table `job_outbox`, see migration
 * `job-outbox`): jobs written inside the transaction that decided them,
 * read and removed once the outside queue holds them.
 */
export namespace JobOutboxRepository {

    /** Adds the requests inside the caller's transaction; answers how many. */
    export function add(db: Database, requests: readonly JobRequest[]): number {
        const insert = prepared(db, 'INSERT INTO job_outbox (asset_id, phase, model, content_hash, priority) VALUES (?, ?, ?, ?, ?)');
        for (const request of requests) {
            insert.run(request.assetId, request.phase, request.model, request.contentHash, request.priority ?? 0);
        }
        return requests.length;
    }

    /** The oldest `limit` entries. */
    export function oldest(db: Database, limit: number): OutboxEntry[] {
        return prepared(db, `SELECT id, asset_id AS assetId, phase, model, content_hash AS contentHash, priority
            FROM job_outbox ORDER BY id LIMIT ?`).all(limit) as OutboxEntry[];
    }

    /** Removes entries the queue now holds. */
    export function remove(db: Database, ids: readonly number[]): void {
        prepared(db, 'DELETE FROM job_outbox WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
    }

    /** The archive's identity for outside queues: a digest of its own random lease secret (made with the archive, never shared by two). */
    export function archiveIdentity(db: Database): string {
        const secret = prepared(db, 'SELECT secret FROM phase_job_secret WHERE id = 1').pluck().get() as Buffer;
        return crypto.createHash('sha256').update('imageparser-queue-identity').update(secret).digest('hex').slice(0, 16);
    }
}
