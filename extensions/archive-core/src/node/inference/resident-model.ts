import { Emitter } from '@theia/core/lib/common/event';
import type { ModelState } from '../../common/job-protocol';
import { ModelMemory, ModelMemoryClaim, ModelMemoryHolder } from './model-memory';
import { isOutOfMemory, LostItem, ManagedModel, ModelCrashError, ModelSpec } from './model-manager';

/** What a {@link ResidentModel} asks its manager as it works. */
export interface ResidentModelHost {
    /** How long the model may sit unused before it is unloaded, in milliseconds (read after every run, so a preference change applies). */
    idleUnloadMs(): number;
    /** Memory batches may use now outside the models' budget (free system memory, the process's budget), in bytes. */
    freeBytes(): number;
    /** The memory the models hold together: weights while loaded, working memory while a batch runs. */
    readonly memory: ModelMemory;
    /** Told what happened, for the log. */
    log(message: string): void;
}

/** Successful batches in a row after which a batch size halved by a crash may double again. */
const RECOVERY_BATCHES = 4;

/**
 * One model's life: loaded on first use (one load at a time however many
 * runs wait for it), kept while runs follow each other, unloaded after the
 * host's idle time. Its weights are claimed from the models' memory before
 * it loads (it waits while they do not fit; idle models are unloaded to make
 * room) and given back once it has unloaded; each batch claims its working
 * memory while it runs. Batches are as large as free memory allows, up to the
 * model's maximum and a ceiling that a crash halves and calm work doubles
 * again, so they shrink while other models hold the memory.
 */
export class ResidentModel<M> implements ManagedModel<M>, ModelMemoryHolder {

    protected readonly stateEmitter = new Emitter<ModelState>();
    readonly onDidChangeState = this.stateEmitter.event;

    protected current: M | undefined;
    protected loading: Promise<M> | undefined;
    protected active = 0;
    protected idleTimer: NodeJS.Timeout | undefined;
    protected ceiling: number;
    protected calmBatches = 0;
    protected lastState: ModelState;
    /** The weights' claim while loading or loaded. */
    protected residentClaim: ModelMemoryClaim | undefined;
    /** The working-memory claims of the batches being worked on now. */
    protected readonly claimsInFlight = new Set<ModelMemoryClaim>();
    protected lastUsedAt = 0;

    constructor(protected readonly spec: ModelSpec<M>, protected readonly host: ResidentModelHost) {
        this.ceiling = Math.max(1, spec.maxBatch);
        this.lastState = this.computeState();
        host.memory.track(this);
    }

    get residentBytes(): number {
        return Math.max(0, this.spec.residentBytes ?? 0);
    }

    get lastUsed(): number {
        return this.lastUsedAt;
    }

    evictable(): boolean {
        return this.current !== undefined && this.claimsInFlight.size === 0;
    }

    idle(): boolean {
        return this.active === 0;
    }

    async evict(): Promise<void> {
        if (this.current !== undefined && this.claimsInFlight.size === 0) {
            await this.discard(this.current);
        }
    }

    get id(): string {
        return this.spec.id;
    }

    get state(): ModelState {
        return this.computeState();
    }

    get batchSize(): number {
        const free = Math.min(this.host.freeBytes(), this.host.memory.freeBytes);
        const byMemory = Math.floor(free / Math.max(1, this.spec.bytesPerItem));
        return Math.max(1, Math.min(this.spec.maxBatch, this.ceiling, byMemory));
    }

    async run<I, O>(items: readonly I[], work: (model: M, batch: readonly I[]) => Promise<O[]>, lost: LostItem<O>): Promise<O[]> {
        this.active++;
        this.cancelIdleUnload();
        try {
            const outputs: O[] = [];
            while (outputs.length < items.length) {
                // Loaded first, so the batch is sized from what is left beside this model's own weights.
                await this.loaded();
                const batch = items.slice(outputs.length, outputs.length + this.batchSize);
                outputs.push(...await this.attempt(batch, work, lost));
            }
            return outputs;
        } finally {
            this.active--;
            this.scheduleIdleUnload();
        }
    }

    async unload(): Promise<void> {
        this.cancelIdleUnload();
        const loading = this.loading;
        if (loading) {
            await loading.then(model => this.discard(model), () => undefined);
        }
    }

    /** One batch on a loaded instance; after a crash, each half on a fresh one, down to single items. */
    protected async attempt<I, O>(batch: readonly I[], work: (model: M, batch: readonly I[]) => Promise<O[]>, lost: LostItem<O>): Promise<O[]> {
        // Never more than fits beside the model's own weights (the budget may have shrunk since the batch was sized).
        const fit = Math.max(1, Math.floor((this.host.memory.totalBytes - this.residentBytes) / Math.max(1, this.spec.bytesPerItem)));
        if (batch.length > fit) {
            return [...await this.attempt(batch.slice(0, fit), work, lost), ...await this.attempt(batch.slice(fit), work, lost)];
        }
        const { model, claim } = await this.loadedWithRoom(batch.length);
        this.claimsInFlight.add(claim);
        try {
            const outputs = await work(model, batch);
            this.calm();
            return outputs;
        } catch (error) {
            const crash = error instanceof ModelCrashError ? error
                : isOutOfMemory(error) ? new ModelCrashError(error instanceof Error ? error.message : String(error), 'out-of-memory') : undefined;
            if (!crash) {
                throw error;
            }
            await this.discard(model);
            this.calmBatches = 0;
            this.ceiling = Math.max(1, Math.floor(batch.length / 2));
            this.host.log(`Model ${this.id} failed on a batch of ${batch.length} (${crash.code}: ${crash.message}); `
                + (batch.length > 1 ? `retrying in batches of ${this.ceiling}.` : 'the item goes back to the queue.'));
            if (batch.length === 1) {
                return [lost(crash)];
            }
            const half = Math.ceil(batch.length / 2);
            this.batchEnded(claim);
            return [...await this.attempt(batch.slice(0, half), work, lost), ...await this.attempt(batch.slice(half), work, lost)];
        } finally {
            this.batchEnded(claim);
        }
    }

    /** The loaded instance with the working memory of `items` claimed; loads (again) when it was unloaded to make room meanwhile. */
    protected async loadedWithRoom(items: number): Promise<{ model: M; claim: ModelMemoryClaim }> {
        for (;;) {
            const model = await this.loaded();
            const claim = await this.host.memory.claim(items * Math.max(0, this.spec.bytesPerItem), this, this.residentBytes);
            if (this.current === model) {
                return { model, claim };
            }
            claim.release();
        }
    }

    /** Gives a batch's working memory back (once) and lets waiting claims look for room. */
    protected batchEnded(claim: ModelMemoryClaim): void {
        if (this.claimsInFlight.delete(claim)) {
            this.lastUsedAt = Date.now();
        }
        claim.release();
    }

    protected calm(): void {
        if (++this.calmBatches >= RECOVERY_BATCHES && this.ceiling < this.spec.maxBatch) {
            this.ceiling = Math.min(this.spec.maxBatch, this.ceiling * 2);
            this.calmBatches = 0;
        }
    }

    protected loaded(): Promise<M> {
        if (!this.loading) {
            const loading = this.host.memory.claim(this.residentBytes, this, Math.max(0, this.spec.bytesPerItem)).then(async claim => {
                this.residentClaim = claim;
                try {
                    return await this.spec.load();
                } catch (error) {
                    this.residentClaim = undefined;
                    claim.release();
                    throw error;
                }
            }).then(model => {
                this.current = model;
                this.lastUsedAt = Date.now();
                this.stateChanged();
                return model;
            });
            this.loading = loading;
            this.stateChanged();
            loading.catch(error => {
                if (this.loading === loading) {
                    this.loading = undefined;
                }
                this.host.log(`Model ${this.id} did not load: ${error instanceof Error ? error.message : String(error)}`);
                this.stateChanged();
            });
        }
        return this.loading;
    }

    /** Unloads an instance once; a newer instance loaded meanwhile stays. */
    protected async discard(model: M): Promise<void> {
        if (this.current !== model) {
            return;
        }
        this.current = undefined;
        this.loading = undefined;
        // Taken now: a load that starts while this one unloads claims its own.
        const claim = this.residentClaim;
        this.residentClaim = undefined;
        this.stateChanged();
        try {
            await this.spec.unload(model);
        } catch (error) {
            this.host.log(`Model ${this.id} did not unload cleanly: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
            claim?.release();
        }
    }

    protected scheduleIdleUnload(): void {
        if (this.active > 0 || !this.loading) {
            return;
        }
        this.cancelIdleUnload();
        this.idleTimer = setTimeout(() => {
            this.idleTimer = undefined;
            if (this.active === 0) {
                this.host.log(`Model ${this.id} unloaded after ${Math.round(this.host.idleUnloadMs() / 1000)} s without work.`);
                this.unload();
            }
        }, this.host.idleUnloadMs());
        // An idle model never keeps a CLI process alive.
        this.idleTimer.unref();
    }

    protected cancelIdleUnload(): void {
        if (this.idleTimer) {
            clearTimeout(this.idleTimer);
            this.idleTimer = undefined;
        }
    }

    protected computeState(): ModelState {
        if (this.current !== undefined) {
            return 'loaded';
        }
        if (this.loading) {
            return 'loading';
        }
        return this.spec.isAvailable() ? 'unloaded' : 'missing';
    }

    protected stateChanged(): void {
        const state = this.computeState();
        if (state !== this.lastState) {
            this.lastState = state;
            this.stateEmitter.fire(state);
        }
    }
}
