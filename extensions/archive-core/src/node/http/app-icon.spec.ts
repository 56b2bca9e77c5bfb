import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderAppIconIco } from './app-icon';

/** The images of an ICO file, as its directory lists them. */
function readIco(ico: Buffer): { width: number; height: number; png: Buffer }[] {
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    return Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
        const entry = 6 + 16 * index;
        const size = ico.readUInt32LE(entry + 8);
        const offset = ico.readUInt32LE(entry + 12);
        return { width: ico.readUInt8(entry) || 256, height: ico.readUInt8(entry + 1) || 256, png: ico.subarray(offset, offset + size) };
    });
}

describe('the app icon', () => {
    it('is an ICO file of 16, 32 and 48 px PNG images that draw the icon, not a blank', async () => {
        const images = readIco(await renderAppIconIco());
        expect(images.map(image => image.width)).toEqual([16, 32, 48]);
        for (const image of images) {
            const { data, info } = await sharp(image.png).raw().toBuffer({ resolveWithObject: true });
            expect([info.width, info.height]).toEqual([image.width, image.height]);
            const colours = new Set<string>();
            for (let at = 0; at < data.length; at += info.channels) {
                colours.add(`${data[at] >> 5},${data[at + 1] >> 5},${data[at + 2] >> 5}`);
            }
            expect(colours.size).toBeGreaterThan(3);
        }
    });
});
