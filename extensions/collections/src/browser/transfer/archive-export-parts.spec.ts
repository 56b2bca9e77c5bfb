import { describe, expect, it } from 'vitest';
import type { Collection } from '@imageparser/archive-core/lib/common/collection-protocol';
import { collectionOptions, scopeOfPart } from './archive-export-parts';

const collection = (id: number, kind: Collection['kind'], name: string, position: number, parentId?: number): Collection =>
    ({ id, uid: `uid-${id}`, kind, name, parentId, position, count: kind === 'folder' ? 0 : id, coverChosen: false, createdAt: '', updatedAt: '' });

/** The parts of the archive the export dialog offers, and the export scope each one asks the backend for. */
describe('archive export parts', () => {
    it('lists folders, manual and smart collections in the tree\'s order with their depth', () => {
        const options = collectionOptions([
            collection(4, 'smart', '별점 4 이상', 2, 1),
            collection(1, 'folder', '캐릭터', 1),
            collection(2, 'manual', 'Heroes', 1, 1),
            collection(3, 'manual', 'Backgrounds', 0),
            collection(5, 'manual', 'Orphan', 0.5, 99)
        ]);
        expect(options.map(option => [option.name, option.kind, option.depth])).toEqual([
            ['Backgrounds', 'manual', 0], ['Orphan', 'manual', 0], ['캐릭터', 'folder', 0], ['Heroes', 'manual', 1], ['별점 4 이상', 'smart', 1]
        ]);
    });

    it('asks for every export scope: the archive, every hit of the current search, a collection, a folder of images', () => {
        const query = { text: '캐릭터', filters: [{ kind: 'rating', min: 4 }], limit: 50 };
        expect(scopeOfPart({ kind: 'archive' }, query)).toEqual({ kind: 'archive' });
        expect(scopeOfPart({ kind: 'results' }, query)).toEqual({ kind: 'query', query });
        expect(scopeOfPart({ kind: 'collection', collectionId: 4 }, query)).toEqual({ kind: 'collection', collectionId: 4 });
        expect(scopeOfPart({ kind: 'folder', path: '/작업/art' }, query)).toEqual({ kind: 'folder', path: '/작업/art' });
    });
});
