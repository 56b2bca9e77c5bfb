import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { prepared, selectValue } from './database';
import { missingPhaseWork, PhaseDemand } from './phase-state-repository';
import type { VectorAxis } from './vector-index-repository';

export const AxisServingRepository = Symbol('AxisServingRepository');

/**
 * Which model's vectors answer each vector axis (`axis_serving`), and
 * whether a model's phase has reached every current asset: the switch to a
 * new model is written only once it has, so an axis never searches a half-built index.
 */
export interface AxisServingRepository {
    /** The model whose index serves the axis, as last written; undefined when none was. */
    serving(axis: VectorAxis): Promise<string | undefined>;
    /** Records that the axis is served by this model's index from now on. */
    serve(axis: VectorAxis, model: string): Promise<void>;
    /**
     * Whether the phase has a final state (done, skipped or failed) with its
     * model for every current asset whose needs are done: its index is as
     * complete as it will get.
     */
    isComplete(demand: PhaseDemand): Promise<boolean>;
    /** Whether a vector index of this name was ever created (a model whose phase had nothing to embed has none). */
    hasIndex(index: string): Promise<boolean>;
    /** Changes whenever any process commits to the archive: an answer of {@link isComplete} holds while it stays the same. */
    dataVersion(): Promise<number>;
}

@injectable()
export class SqliteAxisServingRepository implements AxisServingRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async serving(axis: VectorAxis): Promise<string | undefined> {
        const { database } = await this.store.open();
        return selectValue<string | undefined>(database.reader, 'SELECT model FROM axis_serving WHERE axis = ?', axis);
    }

    async serve(axis: VectorAxis, model: string): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => prepared(db, `INSERT INTO axis_serving (axis, model, since) VALUES (?, ?, ?)
            ON CONFLICT (axis) DO UPDATE SET model = excluded.model, since = excluded.since WHERE model != excluded.model`)
            .run(axis, model, new Date().toISOString()));
    }

    async isComplete(demand: PhaseDemand): Promise<boolean> {
        const { database } = await this.store.open();
        return missingPhaseWork(database.reader, demand, 0, 1).length === 0;
    }

    async hasIndex(index: string): Promise<boolean> {
        const { database } = await this.store.open();
        return selectValue<number | undefined>(database.reader, 'SELECT 1 FROM vector_indexes WHERE name = ?', index) !== undefined;
    }

    async dataVersion(): Promise<number> {
        const { database } = await this.store.open();
        return database.reader.pragma('data_version', { simple: true }) as number;
    }
}
