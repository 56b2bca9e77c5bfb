import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { AnnotationService } from '../../extensions/archive-core/src/common/annotation-protocol';
import { AssetDetailsService } from '../../extensions/archive-core/src/common/asset-details-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';

const corpus = path.resolve(__dirname, '../../../shared/corpus/psd');

/** A PNG of one colour with a little texture, so different colours are different content. */
function png(rgb: [number, number, number]): Promise<Buffer> {
    const [width, height] = [64, 48];
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i++) {
        pixels[i] = Math.max(0, Math.min(255, rgb[i % 3] + ((i * 7919) % 23) - 11));
    }
    return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** What a person sees on a content: its user tags, its rating and its comments. */
interface Shown {
    tags: string[];
    rating: number;
    comments: string[];
}

/**
 * One asset per content: a file overwritten with the bytes another file
 * already holds becomes a copy of that file. The other file, which nobody
 * touched, keeps exactly its own annotations, and the overwritten file's
 * annotations stay with its earlier version (in its Versions list, and back
 * when its old bytes are saved again). Real PSDs from the shared corpus and
 * a real re-index.
 */
describe('a file overwritten with the content of another file', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let annotations: AnnotationService;
    let details: AssetDetailsService;
    let mtime = Date.parse('2024-01-01T00:00:00Z') / 1000;

    const index = async () => {
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        return ingester.finished(await ingester.start(art));
    };
    /** Writes bytes over a file with a later modification time, as `cp` or an editor does. */
    const save = (file: string, bytes: Buffer) => {
        fs.writeFileSync(file, bytes);
        mtime += 60;
        fs.utimesSync(file, mtime, mtime);
    };
    const assetOf = async (file: string) => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        return database.reader.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(file) as number;
    };
    const shown = async (assetId: number): Promise<Shown> => ({
        tags: await annotations.tagsOf(assetId),
        rating: (await details.details(assetId))!.rating,
        comments: (await annotations.comments(assetId)).map(comment => comment.body)
    });
    const annotate = async (assetId: number, tags: string[], rating: number, comment?: string) => {
        await annotations.addTags([assetId], tags);
        await annotations.setRating([assetId], rating);
        if (comment) {
            await annotations.addComment(assetId, comment);
        }
    };

    beforeEach(() => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        annotations = connectTestFrontend(container).container.get(AnnotationService);
        details = container.get(AssetDetailsService);
    });

    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    /** masks.psd rated, tagged and commented; masks2.psd with one tag of its own. */
    const indexMasks = async () => {
        const masks = path.join(art, 'masks.psd');
        const masks2 = path.join(art, 'masks2.psd');
        save(masks, fs.readFileSync(path.join(corpus, 'masks.psd')));
        save(masks2, fs.readFileSync(path.join(corpus, 'masks2.psd')));
        expect(await index()).toMatchObject({ state: 'done', indexed: 2, failed: 0 });
        await annotate(await assetOf(masks2), ['reference'], 0);
        await annotate(await assetOf(masks), ['ui mockup', 'website'], 4, 'Use the blue header');
        return { masks, masks2 };
    };

    it('leaves the other file\'s annotations alone; the overwritten file shows the shared content and keeps its own as its earlier version', async () => {
        const { masks, masks2 } = await indexMasks();
        const old = await assetOf(masks);
        const other = await assetOf(masks2);

        // cp masks2.psd masks.psd
        save(masks, fs.readFileSync(masks2));
        expect(await index()).toMatchObject({ state: 'done', total: 1, indexed: 1, failed: 0 });

        expect(await assetOf(masks)).toBe(other);
        const untouched = await shown(other);
        console.log(`masks2.psd after masks.psd was overwritten with its content: ${JSON.stringify(untouched)}`);
        expect(untouched).toEqual({ tags: ['reference'], rating: 0, comments: [] });
        // The overwritten file's annotations are its earlier version's, listed in its Versions.
        expect(await shown(old)).toEqual({ tags: ['ui mockup', 'website'], rating: 4, comments: ['Use the blue header'] });
        const versions = (await details.versions(other))!;
        expect(versions.versions.map(version => [version.assetId, version.current])).toContainEqual([old, false]);
        expect((await details.versions(old))!.location).toMatchObject({ root: 'art', relativePath: path.relative(art, masks) });
        expect((await details.details(old))!.superseded).toBe(true);

        // Undoing the rating set before the copy never reaches the file that was not touched.
        expect(await annotations.undo()).toMatchObject({ kind: 'rating', assetIds: [old] });
        expect(await shown(other)).toEqual({ tags: ['reference'], rating: 0, comments: [] });
        expect((await shown(old)).rating).toBe(0);
    });

    it('brings back exactly the file\'s own annotations when its old bytes are saved again', async () => {
        const { masks, masks2 } = await indexMasks();
        const old = await assetOf(masks);
        const other = await assetOf(masks2);
        save(masks, fs.readFileSync(masks2));
        await index();
        // Tagged while the two files share the content: both files show it, as copies do.
        await annotations.addTags([other], ['shared look']);

        save(masks, fs.readFileSync(path.join(corpus, 'masks.psd')));
        expect(await index()).toMatchObject({ state: 'done', total: 1, indexed: 1, failed: 0 });

        expect(await assetOf(masks)).toBe(old);
        expect(await shown(old)).toEqual({ tags: ['ui mockup', 'website'], rating: 4, comments: ['Use the blue header'] });
        expect(await shown(other)).toEqual({ tags: ['reference', 'shared look'], rating: 0, comments: [] });
        expect(await container.get<SearchService>(SearchService).search({ text: 'tag:website' }).then(result => result.hits.map(hit => hit.assetId))).toEqual([old]);
    });

    it('lists the overwritten file\'s earlier content in the Versions of the content it shares with the other file', async () => {
        // The file nobody touched comes first in the archive, so it is not the first file holding the shared content by age.
        const [original, draft] = [path.join(art, 'a-original.png'), path.join(art, 'b-draft.png')];
        save(original, await png([70, 120, 200]));
        save(draft, await png([200, 120, 70]));
        await index();
        const old = await assetOf(draft);
        await annotate(old, ['rough'], 1);

        save(draft, fs.readFileSync(original));
        await index();

        const shared = await assetOf(original);
        expect(await assetOf(draft)).toBe(shared);
        const versions = (await details.versions(shared))!;
        expect(versions.location).toMatchObject({ root: 'art', relativePath: path.relative(art, draft) });
        expect(versions.versions.map(version => [version.assetId, version.current])).toEqual([[shared, true], [old, false]]);
        expect(await shown(old)).toEqual({ tags: ['rough'], rating: 1, comments: [] });
    });

    it('mixes nothing when a file is overwritten with a copy of another file that is itself edited in the same run', async () => {
        const { masks, masks2 } = await indexMasks();
        const old = await assetOf(masks);
        save(masks, fs.readFileSync(masks2));
        save(masks2, fs.readFileSync(path.join(corpus, 'masks3.psd')));
        expect(await index()).toMatchObject({ state: 'done', total: 2, indexed: 2, failed: 0 });

        // The edited file carries its own annotations; the overwritten one shows its own or the copied file's, never both.
        expect(await shown(await assetOf(masks2))).toEqual({ tags: ['reference'], rating: 0, comments: [] });
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const assets = database.reader.prepare('SELECT id FROM assets').pluck().all() as number[];
        for (const asset of assets) {
            const tags = await annotations.tagsOf(asset);
            expect(tags.includes('reference') && tags.includes('website'), `asset ${asset}: ${tags.join(', ')}`).toBe(false);
        }
        const mine = [await shown(await assetOf(masks)), await shown(old)];
        expect(mine).toContainEqual({ tags: ['ui mockup', 'website'], rating: 4, comments: ['Use the blue header'] });
    });

    it('mixes nothing when two files swap contents in one run', async () => {
        const [day, night] = [path.join(art, 'day.png'), path.join(art, 'night.png')];
        const [dayBytes, nightBytes] = [await png([240, 200, 90]), await png([20, 30, 90])];
        save(day, dayBytes);
        save(night, nightBytes);
        await index();
        const [dayAsset, nightAsset] = [await assetOf(day), await assetOf(night)];
        await annotate(dayAsset, ['sunny'], 5, 'Warmer sky');
        await annotate(nightAsset, ['stars'], 2, 'More stars');

        save(day, nightBytes);
        save(night, dayBytes);
        expect(await index()).toMatchObject({ state: 'done', total: 2, indexed: 2, failed: 0 });

        // Each content keeps its own annotations; each file shows the content it holds now.
        expect(await assetOf(day)).toBe(nightAsset);
        expect(await assetOf(night)).toBe(dayAsset);
        expect(await shown(dayAsset)).toEqual({ tags: ['sunny'], rating: 5, comments: ['Warmer sky'] });
        expect(await shown(nightAsset)).toEqual({ tags: ['stars'], rating: 2, comments: ['More stars'] });
    });

    it('carries the annotations when only a missing file held the new content', async () => {
        const [sketch, gone] = [path.join(art, 'sketch.png'), path.join(art, 'gone.png')];
        const goneBytes = await png([90, 160, 60]);
        save(sketch, await png([160, 60, 90]));
        save(gone, goneBytes);
        await index();
        const old = await assetOf(sketch);
        await annotate(old, ['keeper'], 3, 'Good pose');

        fs.rmSync(gone);
        save(sketch, goneBytes);
        await index();

        const now = await assetOf(sketch);
        expect(now).not.toBe(old);
        expect(await shown(now)).toEqual({ tags: ['keeper'], rating: 3, comments: ['Good pose'] });
        expect(await shown(old)).toEqual({ tags: [], rating: 0, comments: [] });
    });
});
