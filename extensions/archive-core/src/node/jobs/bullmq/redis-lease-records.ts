import * as crypto from 'crypto';
import type { Redis } from 'ioredis';
import type { ClaimedJob } from '../../../common/job-protocol';
import { LeaseRefusedError } from '../job-queue';

/** A lease as Redis remembers it, so any engine on the same Redis (a restarted server) honours it. */
export interface LeaseRecord {
    readonly state: 'leased' | 'done' | 'failed' | 'retried' | 'released';
    readonly job: ClaimedJob;
}

const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** A held lease's record outlives any lease; it is refreshed by every heartbeat. */
const HELD_TTL_MS = 24 * 3_600_000;

/**
 * The lease tokens the archive's Redis queues issued (`<prefix>:lease:<token>`),
 * with what each lease ended in, and the claims each job had
 * (`<prefix>:attempts`, by job number): they tell a stale token from an
 * unknown one and a repeat from a refusal, whichever engine instance asks.
 */
export class RedisLeaseRecords {

    constructor(protected readonly redis: Redis, protected readonly prefix: string, protected readonly finishedTtlMs: number) { }

    /** A fresh token: 128 random bits, the key of its record. */
    static newToken(): string {
        return crypto.randomBytes(16).toString('base64url').slice(0, 22);
    }

    /** The record of a token; throws `unknown-lease` for a token never issued here (or one not even shaped like one). */
    async read(leaseToken: string): Promise<LeaseRecord> {
        const raw = typeof leaseToken === 'string' && TOKEN.test(leaseToken) ? await this.redis.get(this.key(leaseToken)) : null;
        const record = raw ? JSON.parse(raw) as LeaseRecord : undefined;
        if (!record?.job) {
            throw new LeaseRefusedError('unknown-lease', leaseToken);
        }
        return record;
    }

    /** Records a new lease. */
    async hold(job: ClaimedJob): Promise<void> {
        const record: LeaseRecord = { state: 'leased', job };
        await this.redis.set(this.key(job.leaseToken), JSON.stringify(record), 'PX', HELD_TTL_MS);
    }

    /** Keeps a held lease's record as long as its heartbeats go on. */
    async refresh(leaseToken: string): Promise<void> {
        await this.redis.pexpire(this.key(leaseToken), HELD_TTL_MS);
    }

    /** Records how the lease ended; kept a while for repeated calls. */
    async end(leaseToken: string, record: LeaseRecord, state: LeaseRecord['state']): Promise<void> {
        await this.redis.set(this.key(leaseToken), JSON.stringify({ ...record, state }), 'PX', this.finishedTtlMs);
    }

    /** Counts a claim of the job; answers its claims so far. */
    countClaim(jobNumber: number): Promise<number> {
        return this.redis.hincrby(this.attemptsKey(), String(jobNumber), 1);
    }

    /** Takes back a claim that did not count (the job was given back). */
    async uncountClaim(jobNumber: number): Promise<void> {
        await this.redis.hincrby(this.attemptsKey(), String(jobNumber), -1);
    }

    async attempts(jobNumber: number): Promise<number> {
        return Number(await this.redis.hget(this.attemptsKey(), String(jobNumber))) || 0;
    }

    /** Forgets the claims of a job that ended for good. */
    async forgetAttempts(jobNumber: number): Promise<void> {
        await this.redis.hdel(this.attemptsKey(), String(jobNumber));
    }

    protected key(token: string): string {
        return `${this.prefix}:lease:${token}`;
    }

    protected attemptsKey(): string {
        return `${this.prefix}:attempts`;
    }
}
