import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { AnnotationService } from '../../extensions/archive-core/src/common/annotation-protocol';
import { ArchiveService } from '../../extensions/archive-core/src/common/archive-protocol';
import { AssetDetailsService } from '../../extensions/archive-core/src/common/asset-details-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { TagRepository } from '../../extensions/archive-core/src/node/store/tag-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';

/** A PNG of one colour with a little texture, so different colours are different content. */
function png(rgb: [number, number, number], width = 64, height = 48): Promise<Buffer> {
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i++) {
        pixels[i] = Math.max(0, Math.min(255, rgb[i % 3] + ((i * 7919) % 23) - 11));
    }
    return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/**
 * An artist edits a tagged, rated, commented file and saves it over the old
 * one: the re-index keeps the file's history. The new content carries the
 * annotations, search shows the file once, the versions list both contents,
 * and saving the old bytes again brings everything back.
 */
describe('a file whose content changes keeps its history', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let annotations: AnnotationService;
    let details: AssetDetailsService;
    let search: SearchService;
    let original: Buffer;
    let hero: string;
    let mtime = Date.parse('2024-01-01T00:00:00Z') / 1000;

    const index = async () => {
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        return ingester.finished(await ingester.start(art));
    };
    /** Saves new bytes over a file with a later modification time, as an editor does. */
    const save = (file: string, bytes: Buffer) => {
        fs.writeFileSync(file, bytes);
        mtime += 60;
        fs.utimesSync(file, mtime, mtime);
    };
    const assetOf = async (file: string) => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        return database.reader.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(file) as number;
    };
    const hitIds = async (query: Parameters<SearchService['search']>[0]) => (await search.search({ limit: 100, ...query })).hits.map(hit => hit.assetId);

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        hero = path.join(art, 'hero-sheet.png');
        original = await png([200, 30, 30]);
        save(hero, original);
        save(path.join(art, 'backdrop.png'), await png([30, 30, 200]));
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        annotations = connectTestFrontend(container).container.get(AnnotationService);
        details = container.get(AssetDetailsService);
        search = container.get(SearchService);
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('carries tags, rating and comments to the new content and shows the file once in every kind of search', async () => {
        expect(await index()).toMatchObject({ state: 'done', indexed: 2, failed: 0 });
        const before = await assetOf(hero);
        await annotations.addTags([before], ['approved', '주인공']);
        await container.get<TagRepository>(TagRepository).addTags([before], ['red'], { source: 'ai' });
        await annotations.setRating([before], 4);
        const comment = await annotations.addComment(before, 'The sky needs to be darker');
        await annotations.editComment(comment.id, 'The sky needs to be much darker');

        // A retouch: close to the old pixels, so the earlier version would be the first look-alike if search let it in.
        save(hero, await png([215, 45, 35]));
        expect(await index()).toMatchObject({ state: 'done', total: 1, indexed: 1, failed: 0 });
        const after = await assetOf(hero);
        expect(after).not.toBe(before);

        // The annotations are on the new content: user tags (the AI tag describes the old pixels and stays), rating, the comment with its history.
        expect(await annotations.tagsOf(after)).toEqual(['approved', '주인공']);
        expect((await details.details(after))!.rating).toBe(4);
        const thread = await annotations.comments(after);
        expect(thread.map(each => each.body)).toEqual(['The sky needs to be much darker']);
        expect(thread[0].revisions.map(revision => revision.body)).toEqual(['The sky needs to be darker', 'The sky needs to be much darker']);
        expect(await annotations.comments(before)).toEqual([]);

        // Search shows the file once, as its current content, whatever finds it.
        expect(await hitIds({ text: 'hero-sheet' })).toEqual([after]);
        expect(await hitIds({ text: 'tag:approved' })).toEqual([after]);
        expect(await hitIds({ text: 'darker' })).toEqual([after]);
        expect((await hitIds({})).sort()).toEqual([after, await assetOf(path.join(art, 'backdrop.png'))].sort());
        expect(await hitIds({ filters: [{ kind: 'state', state: 'missing' }] })).toEqual([]);
        expect(await hitIds({ references: { assetIds: [after], mode: 'or' } })).not.toContain(before);
        expect(await hitIds({ nearDuplicatesOf: after })).not.toContain(before);
        const cloud = (await search.search({})).tags;
        expect(cloud).toContainEqual({ name: 'approved', count: 1 });
        expect(cloud.map(tag => tag.name)).not.toContain('red');

        // The versions: the current content first, then the earlier one, which is still an asset of its own.
        const versions = (await details.versions(after))!;
        expect(versions.location).toMatchObject({ root: 'art', relativePath: path.relative(art, hero) });
        expect(versions.versions.map(version => [version.assetId, version.current])).toEqual([[after, true], [before, false]]);
        expect(versions.versions[1].replacedAt).toBeDefined();
        expect((await details.versions(before))!.versions.map(version => version.assetId)).toEqual([after, before]);
        expect((await details.details(before))!.superseded).toBe(true);
        expect((await details.details(after))!.superseded).toBe(false);
        // The archive's asset count (status bar, welcome page) counts what search can show.
        expect((await container.get<ArchiveService>(ArchiveService).getStatus()).assetCount).toBe(2);
    });

    it('undoes an edit made before the change on the content the file holds now', async () => {
        const current = await assetOf(hero);
        const undone = await annotations.undo();
        expect(undone).toMatchObject({ kind: 'rating', assetIds: [current] });
        expect((await details.details(current))!.rating).toBe(0);
        await annotations.setRating([current], 5);
    });

    it('brings everything back when the old bytes are saved again, still as one hit', async () => {
        const green = await assetOf(hero);
        await annotations.addTags([green], ['final']);
        save(hero, original);
        expect(await index()).toMatchObject({ state: 'done', total: 1, indexed: 1, failed: 0 });
        const reverted = await assetOf(hero);
        expect(reverted).not.toBe(green);

        expect(await annotations.tagsOf(reverted)).toEqual(['approved', 'final', 'red', '주인공']);
        expect((await details.details(reverted))!.rating).toBe(5);
        expect((await annotations.comments(reverted)).map(each => each.body)).toEqual(['The sky needs to be much darker']);
        expect(await hitIds({ text: 'hero-sheet' })).toEqual([reverted]);
        expect((await details.versions(reverted))!.versions.map(version => [version.assetId, version.current])).toEqual([[reverted, true], [green, false], [reverted, false]]);
        expect((await details.details(green))!.superseded).toBe(true);
    });

    it('still lists a deleted file as missing, with its annotations', async () => {
        const backdrop = path.join(art, 'backdrop.png');
        const asset = await assetOf(backdrop);
        await annotations.addTags([asset], ['sky-plate']);
        fs.rmSync(backdrop);
        await index();
        expect(await hitIds({ filters: [{ kind: 'state', state: 'missing' }] })).toEqual([asset]);
        expect(await hitIds({ text: 'tag:sky-plate' })).toEqual([asset]);
    });
});
