import { Layer, LayerMaskData, PixelData } from 'ag-psd';
import { MaskRaster, maskValueAt, Raster } from './surfaces';

/** A layer's pixels and masks as the compositor's rasters (8-, 16- or 32-bit data kept as it is, with its scale to 0..1). */
function scaleOf(data: PixelData['data']): number {
    return data instanceof Float32Array ? 1 : data instanceof Uint16Array ? 1 / 65535 : 1 / 255;
}

export function rasterOf(image: PixelData, left: number, top: number): Raster {
    return { data: image.data, scale: scaleOf(image.data), left, top, right: left + image.width, bottom: top + image.height };
}

export function layerRaster(layer: Layer): Raster | undefined {
    const image = layer.imageData;
    return image && image.width > 0 && image.height > 0 ? rasterOf(image, layer.left ?? 0, layer.top ?? 0) : undefined;
}

/**
 * The masks that apply to a layer's pixels, each with its density: its user
 * mask and its vector mask as the file renders it. With both, `realMask` is
 * the user mask and `mask` their product, from which the vector part is
 * recovered. A shape layer's pixels already are its vector shape.
 */
export function maskOf(layer: Layer): MaskRaster | undefined {
    const record = layer.mask;
    if (!record) {
        return undefined;
    }
    const vectorOn = record.fromVectorData && !record.disabled && !layer.vectorMask?.disable && !layer.vectorFill;
    const user = layer.realMask ?? (record.fromVectorData ? undefined : record);
    const userMask = user && !user.disabled ? rasterMask(user, record.userMaskDensity) : undefined;
    if (!vectorOn) {
        return userMask;
    }
    const vectorMask = layer.realMask ? rasterMask(vectorPart(record, layer.realMask), record.vectorMaskDensity) : rasterMask(record, record.vectorMaskDensity);
    return userMask && vectorMask ? { ...userMask, next: vectorMask } : userMask ?? vectorMask;
}

function rasterMask(mask: LayerMaskData, density = 1): MaskRaster | undefined {
    const outside = 1 - density * (1 - (mask.defaultColor ?? 0) / 255);
    const image = mask.imageData;
    if (!image || image.width === 0 || image.height === 0) {
        return outside >= 1 ? undefined : { left: 0, top: 0, right: 0, bottom: 0, scale: 1, outside, density };
    }
    return { ...rasterOf(image, mask.left ?? 0, mask.top ?? 0), outside, density };
}

const vectorParts = new WeakMap<LayerMaskData, LayerMaskData>();

/** The vector mask alone, from the product of both masks divided by the user mask (1 where that is 0). */
function vectorPart(product: LayerMaskData, user: LayerMaskData): LayerMaskData {
    let part = vectorParts.get(product);
    if (!part) {
        const both = rasterMask(product), alone = rasterMask(user);
        const { left = 0, top = 0 } = product;
        const width = product.imageData?.width ?? 0, height = product.imageData?.height ?? 0;
        const data = new Float32Array(width * height * 4);
        for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
                const u = alone ? maskValueAt(alone, left + x, top + y) : 1;
                const v = both ? maskValueAt(both, left + x, top + y) : 1;
                data[(y * width + x) * 4] = u > 0 ? Math.min(1, v / u) : 1;
            }
        }
        part = { ...product, imageData: { width, height, data } };
        vectorParts.set(product, part);
    }
    return part;
}

