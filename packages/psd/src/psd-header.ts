import { ParseError } from './parse-error';

/** The colour modes of the PSD file format. */
export const PSD_COLOR_MODES: Record<number, string> = {
    0: 'bitmap', 1: 'grayscale', 2: 'indexed', 3: 'rgb', 4: 'cmyk', 7: 'multichannel', 8: 'duotone', 9: 'lab'
};

/** The 26-byte header every PSD and PSB starts with. */
export interface PsdHeader {
    /** 1 for PSD, 2 for PSB (large document format). */
    readonly version: 1 | 2;
    readonly channels: number;
    readonly width: number;
    readonly height: number;
    readonly depth: number;
    readonly colorMode: number;
}

/** Reads and checks the header, so a hostile file is refused before anything is decoded. */
export function readPsdHeader(bytes: Uint8Array): PsdHeader {
    if (bytes.length < 26) {
        throw new ParseError(bytes.length === 0 ? 'empty' : 'truncated', `The file is ${bytes.length} bytes long, shorter than a PSD header.`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0) !== 0x38425053) {
        throw new ParseError('unsupported-format', 'The file does not start with the PSD signature "8BPS"; it is not a Photoshop document.');
    }
    const version = view.getUint16(4);
    if (version !== 1 && version !== 2) {
        throw new ParseError('corrupt', `Unknown PSD version ${version}.`);
    }
    const header: PsdHeader = {
        version,
        channels: view.getUint16(12),
        height: view.getUint32(14),
        width: view.getUint32(18),
        depth: view.getUint16(22),
        colorMode: view.getUint16(24)
    };
    const maxSide = version === 1 ? 30_000 : 300_000;
    if (header.width === 0 || header.height === 0 || header.width > maxSide || header.height > maxSide) {
        throw new ParseError('corrupt', `The document claims ${header.width} x ${header.height} pixels, outside what ${version === 1 ? 'PSD' : 'PSB'} allows.`);
    }
    if (header.channels < 1 || header.channels > 56 || ![1, 8, 16, 32].includes(header.depth) || !(header.colorMode in PSD_COLOR_MODES)) {
        throw new ParseError('corrupt', `The header is not valid (channels ${header.channels}, depth ${header.depth}, colour mode ${header.colorMode}).`);
    }
    return header;
}
