import { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PhaseId } from '../../../common/job-protocol';

/** What a job carries in Redis. `seq` numbers every job the archive's queues ever held: the job id a worker sees. */
export interface JobData {
    readonly assetId: number;
    readonly phase: PhaseId;
    readonly model: string;
    readonly contentHash: string;
    readonly priority: number;
    readonly seq: number;
}

export namespace JobData {
    export function parse(raw: unknown): JobData | undefined {
        try {
            return typeof raw === 'string' ? JSON.parse(raw) as JobData : undefined;
        } catch {
            return undefined;
        }
    }
}

/** BullMQ refuses integer and `:` ids: the asset id with a letter in front. */
export function bullJobId(assetId: number): string {
    return `a${assetId}`;
}

/** The phase's BullMQ queue and the worker that moves its jobs by hand. */
export interface PhaseQueue {
    readonly queue: Queue;
    readonly worker: Worker;
}

/**
 * The BullMQ queue (`phase-<phase>` under the archive's prefix) and the
 * manual-processing {@link Worker} of every phase the engine works with,
 * made on first use, and what is read from their heads: which phase's job
 * goes next, the jobs whose backoff is over, the queue lag.
 */
export class RedisPhaseQueues {

    protected readonly queues = new Map<PhaseId, PhaseQueue>();
    protected closed = false;
    protected lastError = 0;

    constructor(protected readonly redis: Redis, protected readonly prefix: string, protected readonly lockMs: number,
        protected readonly onConnectionError?: (error: Error) => void) { }

    /** The phases made so far. */
    phases(): PhaseId[] {
        return [...this.queues.keys()];
    }

    /** The queue and the manual-processing worker of a phase, made on first use. */
    get(phase: PhaseId): PhaseQueue {
        if (this.closed) {
            throw new Error('The Redis job queue is closed');
        }
        let entry = this.queues.get(phase);
        if (!entry) {
            const name = this.queueName(phase);
            const common = { connection: this.redis, prefix: this.prefix };
            entry = {
                queue: new Queue(name, common),
                worker: new Worker(name, null, { ...common, autorun: false, lockDuration: this.lockMs, skipLockRenewal: true, skipStalledCheck: true })
            };
            entry.queue.on('error', error => this.connectionError(error));
            entry.worker.on('error', error => this.connectionError(error));
            this.queues.set(phase, entry);
        }
        return entry;
    }

    /**
     * Of these phases, those made already or whose jobs Redis holds: a
     * claim or a count naming any other phase (a worker's typo, a hostile
     * client) makes no queue, worker or connection for it.
     */
    async known(phases: readonly PhaseId[]): Promise<PhaseId[]> {
        const unknown = phases.filter(phase => !this.queues.has(phase));
        if (!unknown.length) {
            return [...phases];
        }
        const states = ['wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'];
        const exists = await this.pipelined(unknown.map(phase => ['exists', ...states.map(state => `${this.prefix}:${this.queueName(phase)}:${state}`)]));
        const found = new Set(unknown.filter((_, i) => Number(exists[i]) > 0));
        return phases.filter(phase => this.queues.has(phase) || found.has(phase));
    }

    /**
     * Of several phases, the one whose next job goes first: the highest
     * priority, then the oldest (its job number), looking at each phase's
     * waiting jobs and its backoffs that are over.
     */
    async next(phases: readonly PhaseId[]): Promise<PhaseId | undefined> {
        const now = Date.now();
        const heads = await this.pipelined(...phases.map(phase => {
            const { queue } = this.get(phase);
            return [
                ['zrange', queue.keys.prioritized, '0', '0'],
                ['lindex', queue.keys.wait, '-1'],
                ['zrangebyscore', queue.keys.delayed, '0', String((now + 1) * 0x1000 - 1), 'LIMIT', '0', '1']
            ];
        }));
        const candidates: { phase: PhaseId; id: string }[] = [];
        phases.forEach((phase, i) => {
            const ids = [...heads[3 * i] as string[] ?? [], heads[3 * i + 1] as string | null, ...heads[3 * i + 2] as string[] ?? []];
            ids.filter((id): id is string => typeof id === 'string').forEach(id => candidates.push({ phase, id }));
        });
        if (!candidates.length) {
            return undefined;
        }
        const datas = await this.pipelined(candidates.map(each => ['hget', this.get(each.phase).queue.toKey(each.id), 'data']));
        let best: { phase: PhaseId; priority: number; seq: number } | undefined;
        candidates.forEach((each, i) => {
            const data = JobData.parse(datas[i]);
            if (data && (!best || data.priority > best.priority || (data.priority === best.priority && data.seq < best.seq))) {
                best = { phase: each.phase, priority: data.priority, seq: data.seq };
            }
        });
        return best?.phase ?? candidates[0].phase;
    }

    /**
     * Queues the phase's jobs whose backoff is over at the front of their
     * priority: they waited longest (BullMQ would queue them behind every
     * job added meanwhile).
     */
    async promoteDue(phase: PhaseId): Promise<void> {
        const { queue } = this.get(phase);
        const due = await this.redis.zrangebyscore(queue.keys.delayed, 0, (Date.now() + 1) * 0x1000 - 1);
        for (const id of due) {
            const job = await Job.fromId(queue, id);
            if (job) {
                await job.promote();
                await job.changePriority({ priority: job.opts.priority, lifo: true });
            }
        }
    }

    /** When the job next in line was queued (it waited longest, at equal priority); undefined when none waits. */
    async nextQueuedSince(phase: PhaseId): Promise<number | undefined> {
        const { queue } = this.get(phase);
        const [prioritized, waiting] = await this.pipelined([['zrange', queue.keys.prioritized, '0', '0'], ['lindex', queue.keys.wait, '-1']]);
        const ids = [...prioritized as string[] ?? [], waiting].filter((id): id is string => typeof id === 'string');
        const times = ids.length ? await this.pipelined(ids.map(id => ['hget', queue.toKey(id), 'timestamp'])) : [];
        const oldest = Math.min(...times.map(Number).filter(time => time > 0));
        return Number.isFinite(oldest) ? oldest : undefined;
    }

    /** Runs the commands in one round trip; answers their results in order (an error throws). */
    async pipelined(...groups: (string[])[][]): Promise<unknown[]> {
        const commands = groups.flat();
        if (!commands.length) {
            return [];
        }
        const results = await this.redis.pipeline(commands.map(([name, ...args]) => [name, ...args])).exec();
        return (results ?? []).map(([error, value]) => {
            if (error) {
                throw error;
            }
            return value;
        });
    }

    /** Closes every queue and worker (not the connection they share). */
    async close(): Promise<void> {
        this.closed = true;
        const queues = [...this.queues.values()];
        this.queues.clear();
        await Promise.all(queues.flatMap(each => [each.worker.close(true), each.queue.close()]).map(closing => closing.catch(() => undefined)));
    }

    /** Errors of the connections come in bursts while Redis is away: one report a second at most. */
    connectionError(error: Error): void {
        const now = Date.now();
        if (now - this.lastError >= 1000) {
            this.lastError = now;
            this.onConnectionError?.(error);
        }
    }

    protected queueName(phase: PhaseId): string {
        return `phase-${encodeURIComponent(phase)}`;
    }
}
