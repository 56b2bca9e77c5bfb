import { describe, expect, it } from 'vitest';
import { assetLocation, rootLabel, withoutPaths } from './asset-locations';

describe('asset locations', () => {
    it('shows a file by its root folder\'s name and its path below it', () => {
        expect(assetLocation({ fileId: 4, filePath: '/home/kim/작업/Art/chars/hero.psd', rootId: 2, rootPath: '/home/kim/작업/Art' }))
            .toEqual({ fileId: 4, rootId: 2, root: 'Art', relativePath: 'chars/hero.psd' });
        expect(rootLabel('/srv/archive/inbox/2026-11-22 16-40-12 a1b2')).toBe('2026-11-22 16-40-12 a1b2');
    });

    it('shows a file that is its own root, has no root or lies outside it under the folder holding it, never with the path above', () => {
        expect(assetLocation({ fileId: 1, filePath: '/home/kim/Downloads/hero.png', rootId: 3, rootPath: '/home/kim/Downloads/hero.png' }))
            .toEqual({ fileId: 1, rootId: 3, root: 'Downloads', relativePath: 'hero.png' });
        expect(assetLocation({ fileId: 1, filePath: '/home/kim/Art/a.png', rootId: null, rootPath: null }))
            .toEqual({ fileId: 1, rootId: 0, root: 'Art', relativePath: 'a.png' });
        expect(assetLocation({ fileId: 1, filePath: '/elsewhere/b.png', rootId: 5, rootPath: '/home/kim/Art' }))
            .toEqual({ fileId: 1, rootId: 5, root: 'elsewhere', relativePath: 'b.png' });
    });

    it('puts paths in a stored message as the UI shows them', () => {
        const file = { fileId: 1, filePath: '/home/kim/Art/chars/x.png', rootId: 2, rootPath: '/home/kim/Art' };
        expect(withoutPaths('Input file is missing: /home/kim/Art/chars/x.png', file)).toBe('Input file is missing: Art/chars/x.png');
        expect(withoutPaths('cannot list /home/kim/Art/chars or /home/kim/Art', file)).toBe('cannot list Art/chars or Art');
        expect(withoutPaths('The file is empty (0 bytes).', file)).toBe('The file is empty (0 bytes).');
    });
});
