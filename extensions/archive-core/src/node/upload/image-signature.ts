import * as path from 'path';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PSD = Buffer.from('8BPS', 'latin1');

/** How a file's first bytes fare against what its name promises. */
export type SignatureVerdict = 'matches' | 'need-more' | 'mismatch';

/** How many leading bytes decide {@link checkSignature} for any name. */
export const SIGNATURE_BYTES = 8;

/**
 * Whether `head` (the file's first bytes; `complete` when there are no more)
 * starts as the name's extension says: `8BPS` with version 1 (PSD) or 2 (PSB)
 * for `.psd`/`.psb`, the PNG signature for `.png`, a JPEG start-of-image
 * marker for `.jpg`/`.jpeg`. Other extensions never match.
 */
export function checkSignature(name: string, head: Buffer, complete: boolean): SignatureVerdict {
    const extension = path.extname(name).toLowerCase();
    const expected = extension === '.png' ? PNG : extension === '.jpg' || extension === '.jpeg' ? JPEG : extension === '.psd' || extension === '.psb' ? PSD : undefined;
    if (!expected) {
        return 'mismatch';
    }
    const needed = expected === PSD ? 6 : expected.length;
    if (head.length < needed) {
        return complete || !expected.subarray(0, head.length).equals(head.subarray(0, expected.length)) ? 'mismatch' : 'need-more';
    }
    if (!head.subarray(0, expected.length).equals(expected)) {
        return 'mismatch';
    }
    return expected !== PSD || head.readUInt16BE(4) === 1 || head.readUInt16BE(4) === 2 ? 'matches' : 'mismatch';
}

/** What a file of this name must be, for messages: "a PNG image". */
export function describeExpected(name: string): string {
    const extension = path.extname(name).toLowerCase();
    return extension === '.png' ? 'a PNG image' : extension === '.psb' ? 'a Photoshop PSB document' : extension === '.psd' ? 'a Photoshop PSD document' : 'a JPEG image';
}
