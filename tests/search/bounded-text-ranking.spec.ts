import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchHit, SearchQuery, SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { refreshAssetText } from '../../extensions/archive-core/src/node/store/asset-text';
import { EXACT_RANK_MATCHES } from '../../extensions/archive-core/src/node/search/text-axis';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

const ASSETS = 12_000;

/**
 * A word found in more assets than the engine ranks exactly in a fused query:
 * 12,000 assets written in one transaction with the store's own full-text
 * refresh (files, layers, tags), every one with "forest" in a layer name
 * (every third three times, which bm25 ranks above a long file name), every
 * tenth also in its long file name, one tagged "forest".
 */
describe('bounded ranking of a word that matches most of the archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let search: SearchService;
    /** Rated 3 (4323 % 6), not a name match. */
    const tagged = 4_323;

    beforeAll(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        search = container.get<SearchService>(SearchService);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => {
            const now = new Date().toISOString();
            db.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, ?)').run('/art', now);
            const tag = Number(db.prepare('INSERT INTO tags (name) VALUES (?)').run('forest').lastInsertRowid);
            const asset = db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, layer_count, rating, registered_at, phash)
                VALUES (?, ?, 'psd', 100, 100, 1, ?, ?, ?)`);
            const file = db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at)
                VALUES (1, ?, 1, 0, ?, ?, 'indexed', ?)`);
            const layer = db.prepare(`INSERT INTO layers (asset_id, idx, depth, name, kind, visible, opacity) VALUES (?, 0, 0, ?, 'pixel', 1, 1)`);
            for (let id = 1; id <= ASSETS; id++) {
                const hash = id.toString(16).padStart(64, '0');
                asset.run(id, hash, id % 6, now, (BigInt(id) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16).padStart(16, '0'));
                file.run(`/art/${id % 10 === 0 ? `forest_and_a_long_file_name_of_many_other_words_${id}` : `scene_${id}`}.psd`, hash, id, now);
                layer.run(id, id % 3 === 0 ? '배경 forest forest forest' : 'forest trees');
                if (id === tagged) {
                    db.prepare("INSERT INTO asset_tags (asset_id, tag_id, source) VALUES (?, ?, 'user')").run(id, tag);
                }
                refreshAssetText(db, id);
            }
        });
    }, 120_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    const sRanked = (hits: readonly SearchHit[]) => hits.filter(hit => hit.axes.S).sort((a, b) => a.axes.S!.rank - b.axes.S!.rank);

    it('ranks the file-name and tag matches first in a fused query, within the filters, and reports the bound', async () => {
        const query: SearchQuery = { text: 'forest', nearDuplicatesOf: 1, filters: [{ kind: 'rating', min: 3 }], limit: 1000 };
        const result = await search.search(query);
        const text = result.axes.find(axis => axis.axis === 'S')!;
        expect(text.bounded).toEqual({ ranked: 2000, over: EXACT_RANK_MATCHES });
        expect(text.candidates).toBe(1000);
        const all = [...result.hits];
        for (let offset = 1000; offset < result.total; offset += 1000) {
            all.push(...(await search.search({ ...query, offset })).hits);
        }
        const ranked = sRanked(all);
        expect(ranked).toHaveLength(1000);
        // Every hit passes the filter; name matches (every tenth asset, half of them rated 3 or more) and the tag come first.
        expect(ranked.every(hit => hit.rating >= 3)).toBe(true);
        const passing = Array.from({ length: ASSETS }, (_, i) => ASSETS - i).filter(id => id % 6 >= 3);
        const nameMatches = passing.filter(id => id % 10 === 0);
        const firstTier = ranked.findIndex(hit => !hit.name.startsWith('forest_') && hit.assetId !== tagged);
        expect(firstTier).toBe(nameMatches.length + 1);
        expect(ranked.slice(0, firstTier).map(hit => hit.assetId)).toContain(tagged);
        expect(ranked[firstTier].reason.fields).toEqual(['layers']);
        // The rest were taken from the newest matches that pass the filter, and ranked by bm25 among them.
        const taken = passing.filter(id => id % 10 !== 0 && id !== tagged).slice(0, 2000 - firstTier);
        const rest = ranked.slice(firstTier).map(hit => hit.assetId);
        expect(Math.min(...rest)).toBeGreaterThanOrEqual(taken[taken.length - 1]);
    });

    it('ranks every match exactly when the words rank alone', async () => {
        const result = await search.search({ text: 'forest', filters: [{ kind: 'rating', min: 3 }], limit: 10 });
        const text = result.axes.find(axis => axis.axis === 'S')!;
        expect(text.bounded).toBeUndefined();
        expect(result.total).toBe(ASSETS / 2);
        // Exact bm25 ranks the thrice-repeated layer word above a long file name; the bounded ranking puts names first by design.
        expect(result.hits[0].assetId % 3).toBe(0);
        expect(result.hits[0].name.startsWith('forest_')).toBe(false);
    });

    it('matches a two-syllable word and a longer word through one table, as the two tables would', async () => {
        const result = await search.search({ text: '배경 forest', nearDuplicatesOf: 1, limit: 1000 });
        const text = result.axes.find(axis => axis.axis === 'S')!;
        // Every third asset has 배경: 4,000 matches, ranked exactly.
        expect(text.bounded).toBeUndefined();
        expect(text.candidates).toBe(1000);
        expect(sRanked(result.hits).every(hit => hit.assetId % 3 === 0)).toBe(true);
        const solo = await search.search({ text: '배경 forest', limit: 1 });
        expect(solo.total).toBe(ASSETS / 3);
        const across = await search.search({ text: '"배경 forest"', limit: 1 });
        expect(across.total).toBe(ASSETS / 3);
        expect((await search.search({ text: '"forest 배경"', limit: 1 })).total).toBe(0);
    });
});
