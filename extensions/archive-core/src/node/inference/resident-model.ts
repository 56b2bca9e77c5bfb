import { Emitter } from '@theia/core/lib/common/event';
import type { ModelState } from '../../common/job-protocol';
import { isOutOfMemory, LostItem, ManagedModel, ModelCrashError, ModelSpec } from './model-manager';

/** What a {@link ResidentModel} asks its manager as it works. */
export interface ResidentModelHost {
    /** How long the model may sit unused before it is unloaded, in milliseconds (read after every run, so a preference change applies). */
    idleUnloadMs(): number;
    /** Memory batches may use now, in bytes. */
    freeBytes(): number;
    /** Told what happened, for the log. */
    log(message: string): void;
}

/** Successful batches in a row after which a batch size halved by a crash may double again. */
const RECOVERY_BATCHES = 4;

/**
 * One model's life: loaded on first use (one load at a time however many
 * runs wait for it), kept while runs follow each other, unloaded after the
 * host's idle time. Batches are as large as free memory allows, up to the
 * model's maximum and a ceiling that a crash halves and calm work doubles again.
 */
export class ResidentModel<M> implements ManagedModel<M> {

    protected readonly stateEmitter = new Emitter<ModelState>();
    readonly onDidChangeState = this.stateEmitter.event;

    protected current: M | undefined;
    protected loading: Promise<M> | undefined;
    protected active = 0;
    protected idleTimer: NodeJS.Timeout | undefined;
    protected ceiling: number;
    protected calmBatches = 0;
    protected lastState: ModelState;

    constructor(protected readonly spec: ModelSpec<M>, protected readonly host: ResidentModelHost) {
        this.ceiling = Math.max(1, spec.maxBatch);
        this.lastState = this.computeState();
    }

    get id(): string {
        return this.spec.id;
    }

    get state(): ModelState {
        return this.computeState();
    }

    get batchSize(): number {
        const byMemory = Math.floor(this.host.freeBytes() / Math.max(1, this.spec.bytesPerItem));
        return Math.max(1, Math.min(this.spec.maxBatch, this.ceiling, byMemory));
    }

    async run<I, O>(items: readonly I[], work: (model: M, batch: readonly I[]) => Promise<O[]>, lost: LostItem<O>): Promise<O[]> {
        this.active++;
        this.cancelIdleUnload();
        try {
            const outputs: O[] = [];
            while (outputs.length < items.length) {
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
        const model = await this.loaded();
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
            return [...await this.attempt(batch.slice(0, half), work, lost), ...await this.attempt(batch.slice(half), work, lost)];
        }
    }

    protected calm(): void {
        if (++this.calmBatches >= RECOVERY_BATCHES && this.ceiling < this.spec.maxBatch) {
            this.ceiling = Math.min(this.spec.maxBatch, this.ceiling * 2);
            this.calmBatches = 0;
        }
    }

    protected loaded(): Promise<M> {
        if (!this.loading) {
            const loading = this.spec.load().then(model => {
                this.current = model;
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
        this.stateChanged();
        try {
            await this.spec.unload(model);
        } catch (error) {
            this.host.log(`Model ${this.id} did not unload cleanly: ${error instanceof Error ? error.message : String(error)}`);
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
