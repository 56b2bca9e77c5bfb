import { describe, expect, it } from 'vitest';
import type { SmartQuery } from '@imageparser/archive-core/lib/common/collection-protocol';
import { sameFilters, sameSmartQuery } from './smart-query-equality';

const saved: SmartQuery = {
    text: '캐릭터 sketch',
    filters: [{ kind: 'rating', min: 4 }, { kind: 'tags', tags: ['캐릭터'] }],
    weights: { S: 1, V: 2, M: 1 },
    references: { assetIds: [3, 1, 2], mode: 'and' },
    sort: { by: 'rating', direction: 'desc' }
};

/** The smart collection banner offers "Update" only when the edited search differs from the saved one. */
describe('sameSmartQuery', () => {
    it('takes a search as the saved one whatever the order of its filters, references, keys and surrounding spaces', () => {
        expect(sameSmartQuery(saved, {
            sort: { direction: 'desc', by: 'rating' },
            references: { mode: 'and', assetIds: [1, 2, 3] },
            weights: { V: 2 },
            filters: [{ tags: ['캐릭터'], kind: 'tags' }, { min: 4, kind: 'rating' }],
            text: '  캐릭터 sketch '
        })).toBe(true);
        expect(sameSmartQuery({ text: '' }, { sort: { by: 'relevance', direction: 'desc' }, weights: { S: 1, V: 1, M: 1 }, filters: [] })).toBe(true);
    });

    it('sees every edit a user can make: words, a filter value, a weight, the sort, the references', () => {
        const edits: SmartQuery[] = [
            { ...saved, text: '캐릭터' },
            { ...saved, filters: [{ kind: 'rating', min: 3 }, { kind: 'tags', tags: ['캐릭터'] }] },
            { ...saved, filters: [{ kind: 'rating', min: 4 }] },
            { ...saved, weights: { S: 1, V: 1, M: 1 } },
            { ...saved, sort: { by: 'rating', direction: 'asc' } },
            { ...saved, references: { assetIds: [1, 2, 3], mode: 'or' } },
            { ...saved, references: undefined },
            { ...saved, nearDuplicatesOf: 7 }
        ];
        for (const edit of edits) {
            expect(sameSmartQuery(saved, edit), JSON.stringify(edit)).toBe(false);
        }
    });

    it('compares filter combinations (presets) the same way', () => {
        expect(sameFilters([{ kind: 'ext', exts: ['psd'] }, { kind: 'rating', min: 4 }], [{ kind: 'rating', min: 4 }, { kind: 'ext', exts: ['psd'] }])).toBe(true);
        expect(sameFilters([{ kind: 'ext', exts: ['psd'] }], [{ kind: 'ext', exts: ['png'] }])).toBe(false);
        expect(sameFilters(undefined, [])).toBe(true);
    });
});
