import { inject, injectable } from '@theia/core/shared/inversify';
import type { EditOutcome } from '../../common/annotation-protocol';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';
import { recordEdit } from './edit-journal';

export const RatingRepository = Symbol('RatingRepository');

/** Ratings, 0 (none) to 5; every change is journalled for undo. */
export interface RatingRepository {
    /** Sets the rating of every asset in one transaction; assets already at that rating are left out of the journal. */
    setRating(assetIds: readonly number[], rating: number, author: string): Promise<EditOutcome>;
}

@injectable()
export class SqliteRatingRepository implements RatingRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async setRating(assetIds: readonly number[], rating: number, author: string): Promise<EditOutcome> {
        if (!Number.isInteger(rating) || rating < 0 || rating > 5) {
            throw new Error(`A rating is a whole number from 0 to 5, not ${rating}.`);
        }
        const { database } = await this.store.open();
        return database.write(db => {
            const before: [number, number][] = [];
            for (const assetId of new Set(assetIds)) {
                const previous = prepared(db, 'SELECT rating FROM assets WHERE id = ?').pluck().get(assetId) as number | undefined;
                if (previous === undefined) {
                    throw new Error(`There is no asset ${assetId} in the archive.`);
                }
                if (previous !== rating) {
                    prepared(db, 'UPDATE assets SET rating = ? WHERE id = ?').run(rating, assetId);
                    before.push([assetId, previous]);
                }
            }
            return { changed: before.length, record: before.length ? recordEdit(db, 'rating', author, { rating, before }) : undefined };
        });
    }
}
