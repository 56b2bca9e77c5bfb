import { formatBytes } from '../../common/byte-size';

/** A loaded model the {@link ModelMemory} may unload to make room. */
export interface ModelMemoryHolder {
    readonly id: string;
    /** The weights it holds while loaded, in bytes. */
    readonly residentBytes: number;
    /** When it last finished a batch (ms): the least recently used is unloaded first. */
    readonly lastUsed: number;
    /** Whether it may be unloaded now: loaded, and no batch of it is being worked on. */
    evictable(): boolean;
    /** Whether no run of it is under way (it may be between two batches of one): such models are unloaded first. */
    idle(): boolean;
    /** Unloads it; resolves once its memory is given back. */
    evict(): Promise<void>;
}

/** A claim on the models' memory; release it once (released twice, it counts once). */
export interface ModelMemoryClaim {
    readonly bytes: number;
    release(): void;
}

/** Thrown when a claim can never fit: more than the whole budget. */
export class ModelMemoryRefusal extends Error {
    constructor(readonly id: string, readonly bytes: number, readonly budgetBytes: number) {
        super(`The model ${id} needs ${formatBytes(bytes)} with one item of work, more than the models' memory budget `
            + `(${formatBytes(budgetBytes)}, imageparser.models.memoryBudgetMB or IMAGEPARSER_MODELS_MEMORY_MB).`);
        this.name = 'ModelMemoryRefusal';
    }
}

interface Waiter {
    readonly bytes: number;
    readonly requester: ModelMemoryHolder;
    readonly grant: (claim: ModelMemoryClaim) => void;
}

/**
 * The memory the models hold together, within a budget: a model's weights
 * are claimed before it loads and given back once it has unloaded, a
 * batch's working memory is claimed while the batch is worked on. A claim
 * that does not fit waits, in order; while the first waiting claim does not
 * fit, loaded models with no batch in flight are unloaded for it, idle
 * ones before those between two batches of a run, least recently used
 * first (never the model that asks). So the claims never add
 * up to more than the budget, and every waiting claim is served once the
 * batches in flight end.
 */
export class ModelMemory {

    protected used = 0;
    protected peak = 0;
    protected readonly waiters: Waiter[] = [];
    protected readonly holders = new Set<ModelMemoryHolder>();
    protected readonly evicting = new Set<ModelMemoryHolder>();

    /** `budget` is read at every claim, so a changed setting applies to what comes next. */
    constructor(protected readonly budget: () => number, protected readonly log: (message: string) => void = () => undefined) { }

    get totalBytes(): number {
        return this.budget();
    }

    get usedBytes(): number {
        return this.used;
    }

    /** The most the claims ever added up to. */
    get peakBytes(): number {
        return this.peak;
    }

    get freeBytes(): number {
        return Math.max(0, this.budget() - this.used);
    }

    /** A model that may be unloaded to make room (while loaded). */
    track(holder: ModelMemoryHolder): { dispose(): void } {
        this.holders.add(holder);
        return { dispose: () => this.holders.delete(holder) };
    }

    /** Resolves once `bytes` fit; rejects at once with a {@link ModelMemoryRefusal} when `bytes` (with `alsoNeeded` the requester will claim next) exceed the budget. */
    claim(bytes: number, requester: ModelMemoryHolder, alsoNeeded = 0): Promise<ModelMemoryClaim> {
        const total = this.budget();
        if (bytes + alsoNeeded > total) {
            return Promise.reject(new ModelMemoryRefusal(requester.id, bytes + alsoNeeded, total));
        }
        return new Promise(grant => {
            this.waiters.push({ bytes: Math.max(0, bytes), requester, grant });
            this.pump();
        });
    }

    /** A model's batch ended or it became idle: a waiting claim may now be served or make room. */
    pump(): void {
        while (this.waiters.length) {
            const head = this.waiters[0];
            if (this.used + head.bytes <= this.budget()) {
                this.waiters.shift();
                head.grant(this.grant(head.bytes));
                continue;
            }
            this.makeRoom(head);
            return;
        }
    }

    protected grant(bytes: number): ModelMemoryClaim {
        this.used += bytes;
        this.peak = Math.max(this.peak, this.used);
        let released = false;
        return {
            bytes,
            release: () => {
                if (!released) {
                    released = true;
                    this.used -= bytes;
                    this.pump();
                }
            }
        };
    }

    /** Unloads models with no batch in flight, idle and least recently used first, until what they give back lets the waiting claim fit. */
    protected makeRoom(head: Waiter): void {
        let freeing = [...this.evicting].reduce((sum, holder) => sum + holder.residentBytes, 0);
        const candidates = [...this.holders]
            .filter(holder => holder !== head.requester && !this.evicting.has(holder) && holder.evictable())
            // Idle models first, then those between two batches of a run; least recently used first within each.
            .sort((a, b) => Number(b.idle()) - Number(a.idle()) || a.lastUsed - b.lastUsed);
        for (const holder of candidates) {
            if (this.used - freeing + head.bytes <= this.budget()) {
                return;
            }
            freeing += holder.residentBytes;
            this.evicting.add(holder);
            this.log(`Model ${holder.id} unloaded to make room for ${head.requester.id} (${formatBytes(head.bytes)}; `
                + `${formatBytes(this.used)} of ${formatBytes(this.budget())} held).`);
            holder.evict().catch(() => undefined).finally(() => {
                this.evicting.delete(holder);
                this.pump();
            });
        }
    }
}
