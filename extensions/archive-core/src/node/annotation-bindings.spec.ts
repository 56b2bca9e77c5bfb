import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { ANNOTATION_SERVICE_PATH, AnnotationService } from '../common/annotation-protocol';
import { AssetDetailsService } from '../common/asset-details-protocol';
import { SearchService } from '../common/search-protocol';
import { ArchiveIngester } from './ingest/archive-ingester';
import { TagRepository } from './store/tag-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from './test/archive-test-container';
import { connectTestFrontend } from './test/test-frontend-connection';
import { CurrentUser, LocalCurrentUser } from './user/current-user';

/**
 * Two browser windows on one backend, connected through Theia's messaging
 * service and RPC: each connection has its own annotation service, acting
 * as its own user, over the one archive both see.
 */
describe('the annotation service of each frontend connection', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let assetIds: number[];
    /** The users the next connections sign in as, as a sign-in package's connection module would bind them; none left: the default user. */
    const signIns: string[] = [];
    const details = (assetId: number) => container.get<AssetDetailsService>(AssetDetailsService).details(assetId);

    beforeAll(async () => {
        temp = makeTempFolder();
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        for (const [name, background] of [['sky', '#3366aa'], ['sea', '#228877']]) {
            await sharp({ create: { width: 40, height: 30, channels: 3, background } }).png().toFile(path.join(art, `${name}.png`));
        }
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        container.bind(ConnectionContainerModule).toConstantValue(ConnectionContainerModule.create(({ bind }) => {
            const name = signIns.shift();
            if (name) {
                bind(CurrentUser).toConstantValue({ name });
            }
        }));
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        expect(await ingester.finished(await ingester.start(art))).toMatchObject({ state: 'done', indexed: 2 });
        assetIds = (await container.get<SearchService>(SearchService).search({ limit: 10 })).hits.map(hit => hit.assetId).sort((a, b) => a - b);
        expect(assetIds).toHaveLength(2);
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('gives each connection its own service, acting as the local user by default, and drops it when the connection closes', async () => {
        const first = connectTestFrontend(container);
        const second = connectTestFrontend(container);
        const firstService = first.container.get<AnnotationService>(AnnotationService);
        expect(first.container.get<AnnotationService>(AnnotationService)).toBe(firstService);
        expect(second.container.get<AnnotationService>(AnnotationService)).not.toBe(firstService);
        expect(second.container.get<TagRepository>(TagRepository)).toBe(first.container.get<TagRepository>(TagRepository));

        const firstWindow = first.proxy<AnnotationService>(ANNOTATION_SERVICE_PATH);
        const secondWindow = second.proxy<AnnotationService>(ANNOTATION_SERVICE_PATH);
        const [sky] = assetIds;
        await firstWindow.addTags([sky], ['blue']);
        expect(await secondWindow.tagsOf(sky)).toEqual(['blue']);
        // One local user behind both windows: the second window undoes the first one's edit, as before connections had services.
        expect(await secondWindow.lastEdit()).toMatchObject({ kind: 'tags-added', author: new LocalCurrentUser().name, tags: ['blue'] });
        expect((await secondWindow.undo())?.kind).toBe('tags-added');
        expect(await firstWindow.tagsOf(sky)).toEqual([]);

        await first.close();
        expect(first.container.isBound(AnnotationService)).toBe(false);
        expect(await secondWindow.suggestTags('b')).toEqual([]);
    });

    it('edits as the user its connection signed in as: both see every edit, each undoes only its own', async () => {
        signIns.push('mina', 'joon');
        const mina = connectTestFrontend(container);
        const joon = connectTestFrontend(container);
        const minaWindow = mina.proxy<AnnotationService>(ANNOTATION_SERVICE_PATH);
        const joonWindow = joon.proxy<AnnotationService>(ANNOTATION_SERVICE_PATH);
        const [sky, sea] = assetIds;

        await minaWindow.addTags([sky, sea], ['background']);
        await joonWindow.setRating([sky], 4);
        const comment = await joonWindow.addComment(sea, 'darker water?');
        expect(comment.author).toBe('joon');
        expect(await joonWindow.tagsOf(sea)).toEqual(['background']);
        expect((await minaWindow.comments(sea)).map(each => [each.author, each.body])).toEqual([['joon', 'darker water?']]);
        expect(await details(sky)).toMatchObject({ rating: 4, tags: ['background'] });

        expect(await minaWindow.lastEdit()).toMatchObject({ kind: 'tags-added', author: 'mina' });
        expect(await joonWindow.lastEdit()).toMatchObject({ kind: 'rating', author: 'joon' });
        expect((await joonWindow.undo())?.kind).toBe('rating');
        expect(await joonWindow.undo()).toBeUndefined();
        // Joon's undo left Mina's tags alone; Mina sees his rating gone.
        expect(await minaWindow.tagsOf(sky)).toEqual(['background']);
        expect((await details(sky))?.rating).toBe(0);
        expect((await minaWindow.undo())?.kind).toBe('tags-added');
        expect(await joonWindow.tagsOf(sea)).toEqual([]);
        await mina.close();
        await joon.close();
    });
});
