import { initializeCanvas } from 'ag-psd';

let installed = false;

/** ag-psd needs a canvas only to create image data; plain typed arrays do, without node-canvas. */
export function ensureImageDataFactory(): void {
    if (!installed) {
        initializeCanvas(
            () => { throw new Error('ImageParser reads PSD pixels as image data, never through a canvas.'); },
            (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4), colorSpace: 'srgb' }) as ImageData
        );
        installed = true;
    }
}
