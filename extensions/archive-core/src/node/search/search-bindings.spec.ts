import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { SearchService } from '../../common/search-protocol';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { SearchAxisContribution } from './search-axis';
import { SearchFilterCompiler } from './search-filter-compiler';

/**
 * The engine's filters and axes are collected from the root container,
 * whichever container first asks for the engine: a child container with
 * contributions of its own (as a connection's or a tool's) neither hides
 * the built-in ones from everybody nor stays referenced by the engine.
 */
describe('the search contribution points', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;

    beforeAll(async () => {
        temp = makeTempFolder();
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366aa' } }).png().toFile(path.join(art, 'harbour-sketch.png'));
        await sharp({ create: { width: 30, height: 40, channels: 3, background: '#228833' } }).jpeg().toFile(path.join(art, 'forest-sketch.jpg'));
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        expect(await ingester.finished(await ingester.start(art))).toMatchObject({ state: 'done', indexed: 2 });
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('finds the built-in filters and axes when a child container with its own contributions makes the engine first', async () => {
        const child = container.createChild();
        child.bind(SearchFilterCompiler).toConstantValue({ kind: 'child-only', compile: () => ({ sql: '1', params: [] }) });
        child.bind(SearchAxisContribution).toConstantValue({ axis: 'M', candidates: async () => ({ used: false, skipped: 'no-provider' }) });

        const engine = child.get<SearchService>(SearchService);
        const result = await engine.search({ text: 'sketch', filters: [{ kind: 'type', types: ['png'] }] });
        expect(result.hits.map(hit => hit.name)).toEqual(['harbour-sketch.png']);
        expect(result.axes.find(axis => axis.axis === 'S')).toMatchObject({ used: true });
        // The child's contributions are not the engine's: it is one for the process.
        await expect(engine.search({ filters: [{ kind: 'child-only' }] })).rejects.toThrow(/No search filter named "child-only"/);

        await child.unbindAllAsync();
        expect(container.get<SearchService>(SearchService)).toBe(engine);
        expect((await engine.search({ text: 'sketch' })).total).toBe(2);
    });
});
