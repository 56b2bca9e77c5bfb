import { Container } from '@theia/core/shared/inversify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnnotationService } from '../../common/annotation-protocol';
import { AssetDetailsService } from '../../common/asset-details-protocol';
import { SearchService } from '../../common/search-protocol';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { connectTestFrontend } from '../test/test-frontend-connection';
import { CurrentUser } from '../user/current-user';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { CommentRepository } from './comment-repository';
import { EditJournal } from './edit-journal';
import { RatingRepository } from './rating-repository';
import { TagRepository } from './tag-repository';

/**
 * The tag, rating and comment stores and the edit journal over a real
 * archive file: bulk edits in one transaction, undo, comment history, and
 * search seeing every edit at once.
 */
describe('annotation stores', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let tags: TagRepository;
    let ratings: RatingRepository;
    let comments: CommentRepository;
    let journal: EditJournal;
    let search: SearchService;

    /** Writes `count` assets (ids 1..count) with a file each, rated id % 6, through the store's own full-text refresh. */
    async function writeAssets(count: number): Promise<void> {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => {
            const now = new Date().toISOString();
            db.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, ?)').run('/art', now);
            for (let id = 1; id <= count; id++) {
                const hash = id.toString(16).padStart(64, '0');
                db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, rating, registered_at) VALUES (?, ?, 'png', 10, 10, ?, ?)`)
                    .run(id, hash, id % 6, now);
                db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at) VALUES (1, ?, 1, 0, ?, ?, 'indexed', ?)`)
                    .run(`/art/image-${id}.png`, hash, id, now);
                refreshAssetText(db, id);
            }
        });
    }

    const ids = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
    const total = async (text: string) => (await search.search({ text, limit: 1 })).total;

    beforeEach(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        tags = container.get(TagRepository);
        ratings = container.get(RatingRepository);
        comments = container.get(CommentRepository);
        journal = container.get(EditJournal);
        search = container.get(SearchService);
        await writeAssets(1_000);
    });
    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('tags 1,000 assets in one transaction, found by search at once, and undoes exactly that edit', async () => {
        await tags.addTags([7], ['hero'], { author: 'mina' });
        const outcome = await tags.addTags(ids(1_000), ['숲 배경', 'Hero'], { author: 'mina' });
        // 'Hero' is 'hero' (tags ignore case): asset 7 had it already.
        expect(outcome.changed).toBe(1_999);
        expect(outcome.record).toMatchObject({ kind: 'tags-added', author: 'mina', tags: ['숲 배경', 'hero'] });
        expect(outcome.record!.assetIds).toHaveLength(1_000);
        expect(await total('tag:"숲 배경"')).toBe(1_000);
        expect(await total('tag:hero')).toBe(1_000);

        const undone = await journal.undo('mina');
        expect(undone?.id).toBe(outcome.record!.id);
        expect(await total('tag:"숲 배경"')).toBe(0);
        // The earlier edit's link stays: undo takes back what the edit added, nothing more.
        expect(await tags.tagsOf(7)).toEqual(['hero']);
        expect(await total('tag:hero')).toBe(1);
    });

    it('applies a bulk edit whole or not at all', async () => {
        // Asset 5,000 does not exist: the foreign key fails the last insert, and the 1,000 before it roll back too.
        await expect(tags.addTags([...ids(1_000), 5_000], ['doomed'], { author: 'mina' })).rejects.toThrow(/FOREIGN KEY/);
        expect(await total('tag:doomed')).toBe(0);
        await expect(ratings.setRating([...ids(1_000), 5_000], 5, 'mina')).rejects.toThrow(/no asset 5000/);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare('SELECT count(*) FROM assets WHERE rating = 5').pluck().get()).toBe(166);
        expect(await journal.last('mina')).toBeUndefined();
    });

    it('rates 1,000 assets in one edit and undo restores each one its own earlier rating', async () => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const before = database.reader.prepare('SELECT id, rating FROM assets ORDER BY id').raw().all();
        const outcome = await ratings.setRating(ids(1_000), 4, 'mina');
        // The 167 assets already rated 4 did not change and are not journalled.
        expect(outcome.changed).toBe(1_000 - 167);
        expect((await search.search({ filters: [{ kind: 'rating', min: 4, max: 4 }], limit: 1 })).total).toBe(1_000);
        await expect(ratings.setRating([1], 6, 'mina')).rejects.toThrow(/0 to 5/);
        await journal.undo('mina');
        expect(database.reader.prepare('SELECT id, rating FROM assets ORDER BY id').raw().all()).toEqual(before);
        expect((await search.search({ filters: [{ kind: 'rating', min: 4, max: 4 }], limit: 1 })).total).toBe(167);
    });

    it('walks undo back newest first, per author, and puts removed tags back with their source', async () => {
        await tags.addTags([1, 2], ['sky'], { source: 'ai' });
        await tags.addTags([1], ['cloud'], { author: 'mina' });
        await ratings.setRating([1], 5, 'mina');
        await tags.removeTags([1, 2], ['sky'], { author: 'mina' });
        await ratings.setRating([2], 1, 'joon');
        expect(await tags.tagsOf(1)).toEqual(['cloud']);

        expect((await journal.undo('mina'))?.kind).toBe('tags-removed');
        expect(await tags.tagsOf(1)).toEqual(['cloud', 'sky']);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare("SELECT count(*) FROM asset_tags WHERE source = 'ai'").pluck().get()).toBe(2);
        expect((await journal.undo('mina'))?.kind).toBe('rating');
        expect(database.reader.prepare('SELECT rating FROM assets WHERE id = 1').pluck().get()).toBe(1);
        expect((await journal.undo('mina'))?.tags).toEqual(['cloud']);
        expect(await journal.undo('mina')).toBeUndefined();
        // Joon's edit was not touched by Mina's undos; the AI tagging was never journalled.
        expect(database.reader.prepare('SELECT rating FROM assets WHERE id = 2').pluck().get()).toBe(1);
        expect((await journal.last('joon'))?.rating).toBe(1);
        expect(await tags.tagsOf(1)).toEqual(['sky']);
    });

    it('keeps every version of a comment, searches the current one, and keeps the history after a delete', async () => {
        const first = await comments.add(3, '배경 색이 너무 어두워요', 'mina');
        expect(first.revisions).toHaveLength(1);
        expect(await total('어두워')).toBe(1);
        const second = await comments.edit(first.id, '배경 색을 밝게 고쳤어요 (brighter)', 'joon');
        const third = await comments.edit(first.id, 'Final: brighter background', 'mina');
        expect(third.revisions.map(revision => [revision.revision, revision.author, revision.body])).toEqual([
            [1, 'mina', '배경 색이 너무 어두워요'],
            [2, 'joon', '배경 색을 밝게 고쳤어요 (brighter)'],
            [3, 'mina', 'Final: brighter background']
        ]);
        expect(third.author).toBe('mina');
        expect(third.body).toBe('Final: brighter background');
        expect(Date.parse(third.updatedAt)).toBeGreaterThanOrEqual(Date.parse(second.createdAt));
        // Search sees the current text only.
        expect(await total('어두워')).toBe(0);
        expect(await total('brighter background')).toBe(1);
        // Editing to the same text adds no version; empty text is refused.
        expect((await comments.edit(first.id, '  Final: brighter background ', 'mina')).revisions).toHaveLength(3);
        await expect(comments.edit(first.id, '   ', 'mina')).rejects.toThrow(/cannot be empty/);
        await expect(comments.add(99_999, 'x', 'mina')).rejects.toThrow(/no asset 99999/);

        await comments.add(3, 'second comment', 'joon');
        await comments.remove(first.id);
        expect((await comments.list(3)).map(comment => comment.body)).toEqual(['second comment']);
        expect(await total('brighter')).toBe(0);
        await expect(comments.edit(first.id, 'again', 'mina')).rejects.toThrow(/no comment/);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare('SELECT count(*) FROM comment_revisions WHERE comment_id = ?').pluck().get(first.id)).toBe(3);
    });

    it('serves edits, suggestions, undo and details through the annotation service as the signed-in author', async () => {
        container.rebind(CurrentUser).toConstantValue({ name: 'desk-user' });
        const service = connectTestFrontend(container).container.get<AnnotationService>(AnnotationService);
        await service.addTags([1, 2, 3], ['character', 'charcoal']);
        await service.addTags([4], ['archer']);
        // Tags starting with the text first, then those containing it.
        expect(await service.suggestTags('ar')).toEqual(['archer', 'character', 'charcoal']);
        expect(await service.suggestTags('char', 1)).toEqual(['character']);
        expect((await service.lastEdit())?.author).toBe('desk-user');
        await service.setRating([1], 3);
        const comment = await service.addComment(1, 'looks good');
        expect(comment.author).toBe('desk-user');
        await expect(service.setRating([0], 3)).rejects.toThrow(/positive whole numbers/);
        await expect(service.addTags([1], ['가'.repeat(101)])).rejects.toThrow(/at most 100 characters/);
        expect((await service.addTags([1], ['가'.repeat(100)])).changed).toBe(1);
        const details = await container.get<AssetDetailsService>(AssetDetailsService).details(1);
        expect(details).toMatchObject({ assetId: 1, kind: 'png', width: 10, height: 10, rating: 3, tags: ['character', 'charcoal', '가'.repeat(100)] });
        expect(details!.files.map(file => [file.location.root, file.location.relativePath, file.state])).toEqual([['art', 'image-1.png', 'indexed']]);
        expect(await container.get<AssetDetailsService>(AssetDetailsService).details(12_345)).toBeUndefined();
        expect((await service.undo())?.kind).toBe('tags-added');
        expect((await service.undo())?.kind).toBe('rating');
    });
});
