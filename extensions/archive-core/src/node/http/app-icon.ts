import sharp from 'sharp';

/** ImageParser's icon: a picture on a stack of layers. */
export const APP_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="12" fill="#3b2f8f"/>
<rect x="18" y="9" width="37" height="31" rx="4" fill="#9d8df1"/>
<rect x="9" y="20" width="41" height="35" rx="4" fill="#ffffff"/>
<circle cx="38" cy="30" r="5" fill="#f5b700"/>
<path d="M12 52 L24 35 L32 45 L37 39 L47 52 Z" fill="#2e9e6a"/>
</svg>
`;

/** Sizes a browser picks from for the tab and bookmarks. */
const ICO_SIZES = [16, 32, 48];

/**
 * The icon as a Windows ICO file (what browsers ask for at `/favicon.ico`):
 * one PNG image per size, as ICO has allowed since Windows Vista.
 */
export async function renderAppIconIco(): Promise<Buffer> {
    const images = await Promise.all(ICO_SIZES.map(size => sharp(Buffer.from(APP_ICON_SVG), { density: 72 * size / 64 * 4 })
        .resize(size, size).png().toBuffer()));
    const header = Buffer.alloc(6 + 16 * images.length);
    header.writeUInt16LE(0, 0);
    header.writeUInt16LE(1, 2);
    header.writeUInt16LE(images.length, 4);
    let offset = header.length;
    images.forEach((image, index) => {
        const entry = 6 + 16 * index;
        header.writeUInt8(ICO_SIZES[index] % 256, entry);
        header.writeUInt8(ICO_SIZES[index] % 256, entry + 1);
        header.writeUInt8(0, entry + 2);
        header.writeUInt8(0, entry + 3);
        header.writeUInt16LE(1, entry + 4);
        header.writeUInt16LE(32, entry + 6);
        header.writeUInt32LE(image.length, entry + 8);
        header.writeUInt32LE(offset, entry + 12);
        offset += image.length;
    });
    return Buffer.concat([header, ...images]);
}
