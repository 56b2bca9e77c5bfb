import { formatBytes } from '../../common/byte-size';

/** 2 GiB: what parse threads and render lanes may hold in decoded pixels together, unless configured otherwise. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2048 * 1024 * 1024;

/** The environment variable that sets the budget in MiB; it wins over the `imageparser.memory.budget` preference. */
export const MEMORY_BUDGET_ENV = 'IMAGEPARSER_MEMORY_BUDGET_MB';

/** A task's claim on the budget; release it once the task has settled (released twice, it counts once). */
export interface MemoryLease {
    /** The bytes claimed (what is still held after {@link retain}). */
    readonly bytes: number;
    /** Keeps only `bytes` of the claim and gives the rest back, e.g. the layers a thread keeps after a render. */
    retain(bytes: number): void;
    release(): void;
}

/** How soon a waiting task gets its memory: what a user waits for goes before background indexing. */
export type MemoryPriority = 'interactive' | 'background';

/** Thrown by {@link MemoryBudget.acquire} for a task over the hard cap: it never runs. */
export class MemoryBudgetRefusal extends Error {
    constructor(readonly bytes: number, readonly hardCapBytes: number) {
        super(`Decoding this file needs about ${formatBytes(bytes)} of memory, more than ImageParser allows one file `
            + `(${formatBytes(hardCapBytes)}, twice the memory budget set by ${MEMORY_BUDGET_ENV} or the imageparser.memory.budget preference).`);
        this.name = 'MemoryBudgetRefusal';
    }
}

export const MemoryBudget = Symbol('MemoryBudget');

/**
 * One process-wide budget for decoded pixels, shared by the parse threads
 * and the viewer's render lanes: a semaphore counted in bytes. A task
 * acquires its estimated decode memory in the main thread before it is
 * handed to a worker thread and releases it when it settles (done, failed,
 * timed out or its thread crashed). Waiting tasks are served in order,
 * interactive ones first. A task estimated above the whole budget waits
 * until nothing else holds memory and then runs alone; one above the hard
 * cap is refused with a {@link MemoryBudgetRefusal}.
 */
export interface MemoryBudget {
    /** The budget in bytes. */
    readonly totalBytes: number;
    /** Above this estimate a task is refused; twice the budget. */
    readonly hardCapBytes: number;
    /** Bytes held by running tasks now. */
    readonly usedBytes: number;
    /** Resolves once `bytes` fit; rejects with the signal's reason when it is aborted while waiting. */
    acquire(bytes: number, priority?: MemoryPriority, signal?: AbortSignal): Promise<MemoryLease>;
    /**
     * Registers something that holds memory it can give back on demand (a
     * render thread keeping a document's layers): `reclaim` is called when a
     * waiting task does not fit, and should release what it can.
     */
    onPressure(reclaim: () => void): { dispose(): void };
}

interface Waiter {
    readonly bytes: number;
    readonly grant: (lease: MemoryLease) => void;
}

/** The budget as a counting semaphore over bytes. */
export class SemaphoreMemoryBudget implements MemoryBudget {

    protected used = 0;
    protected readonly queues: Record<MemoryPriority, Waiter[]> = { interactive: [], background: [] };
    protected readonly reclaimers = new Set<() => void>();

    constructor(protected total: number = DEFAULT_MEMORY_BUDGET_BYTES) { }

    get totalBytes(): number {
        return this.total;
    }

    get hardCapBytes(): number {
        return this.total * 2;
    }

    get usedBytes(): number {
        return this.used;
    }

    /** Changes the budget; waiting tasks that now fit start. */
    protected setTotal(bytes: number): void {
        this.total = bytes;
        this.grantWaiting();
    }

    async acquire(bytes: number, priority: MemoryPriority = 'background', signal?: AbortSignal): Promise<MemoryLease> {
        await this.ready();
        const claim = Math.max(0, Math.ceil(bytes));
        if (claim > this.hardCapBytes) {
            throw new MemoryBudgetRefusal(claim, this.hardCapBytes);
        }
        signal?.throwIfAborted();
        return new Promise<MemoryLease>((resolve, reject) => {
            const waiter: Waiter = {
                bytes: claim, grant: lease => {
                    signal?.removeEventListener('abort', onAbort);
                    resolve(lease);
                }
            };
            const onAbort = () => {
                const queue = this.queues[priority];
                const at = queue.indexOf(waiter);
                if (at >= 0) {
                    queue.splice(at, 1);
                    reject(signal!.reason);
                    // A big task that left the head of the queue may have been holding smaller ones back.
                    this.grantWaiting();
                }
            };
            signal?.addEventListener('abort', onAbort);
            this.queues[priority].push(waiter);
            this.grantWaiting();
        });
    }

    /** Resolved before the first acquisition takes its measure of the budget; subclasses read their configuration here. */
    protected async ready(): Promise<void> { }

    onPressure(reclaim: () => void): { dispose(): void } {
        this.reclaimers.add(reclaim);
        return { dispose: () => this.reclaimers.delete(reclaim) };
    }

    /**
     * Starts waiting tasks in order while they fit; a task over the whole
     * budget starts only when nothing is held. When the next one does not
     * fit, whatever holds memory it can give back is asked to.
     */
    protected grantWaiting(): void {
        for (const queue of [this.queues.interactive, this.queues.background]) {
            while (queue.length) {
                const next = queue[0];
                const charge = Math.min(next.bytes, this.total);
                const fits = next.bytes > this.total ? this.used === 0 : this.used + charge <= this.total;
                if (!fits) {
                    this.reclaimers.forEach(reclaim => reclaim());
                    return;
                }
                queue.shift();
                next.grant(this.lease(next.bytes, charge));
            }
        }
    }

    protected lease(bytes: number, charge: number): MemoryLease {
        this.used += charge;
        let held = bytes;
        const give = (keep: number) => {
            const kept = Math.min(held, Math.max(0, keep));
            const keptCharge = Math.min(charge, kept);
            this.used -= charge - keptCharge;
            charge = keptCharge;
            held = kept;
            this.grantWaiting();
        };
        return {
            get bytes() {
                return held;
            },
            retain: give,
            release: () => give(0)
        };
    }
}

/** The budget configured by {@link MEMORY_BUDGET_ENV} (MiB), else `preferenceMb`, else the default; undefined values are skipped. */
export function configuredMemoryBudgetBytes(env: NodeJS.ProcessEnv, preferenceMb?: number): number {
    for (const value of [env[MEMORY_BUDGET_ENV], preferenceMb]) {
        const mb = Number(value);
        if (value !== undefined && value !== '' && Number.isFinite(mb) && mb >= 64) {
            return Math.floor(mb * 1024 * 1024);
        }
    }
    return DEFAULT_MEMORY_BUDGET_BYTES;
}

