import * as crypto from 'crypto';
import * as fs from 'fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaStore } from './media-store';
import { makeTempFolder } from '../test/archive-test-container';

describe('MediaStore', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    beforeEach(() => temp = makeTempFolder());
    afterEach(() => temp.remove());

    it('stores content once under its SHA-256 and leaves no temporary files', () => {
        const media = new MediaStore(temp.folder);
        const bytes = Buffer.from('thumbnail bytes');
        const hash = media.put(bytes);
        expect(hash).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
        expect(media.put(bytes)).toBe(hash);
        expect(fs.readFileSync(media.pathOf(hash)).equals(bytes)).toBe(true);
        expect(media.has(hash)).toBe(true);
        const everything = fs.readdirSync(temp.folder, { recursive: true }).map(String);
        expect(everything.filter(name => name.endsWith('.tmp'))).toEqual([]);
    });

    it('refuses anything that is not a content hash', () => {
        const media = new MediaStore(temp.folder);
        expect(() => media.pathOf('../../etc/passwd')).toThrow('Not a media content hash');
        expect(media.has('../archive.sqlite')).toBe(false);
    });
});
