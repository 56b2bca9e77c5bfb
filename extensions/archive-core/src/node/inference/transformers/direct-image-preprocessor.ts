import type { ImageProcessor } from '@huggingface/transformers';
import sharp from 'sharp';
import type { AiImage } from '../ai-image';
import type { TransformersModule } from './transformers-runtime';

/** A batch's `pixel_values`: [batch, 3, height, width], channels first. */
export interface PixelBatch {
    readonly data: Float32Array;
    readonly dims: [number, number, number, number];
}

const INTERPOLATORS: Readonly<Record<number, 'nearest' | 'bilinear' | 'bicubic'>> = { 0: 'nearest', 2: 'bilinear', 3: 'bicubic' };

/**
 * The model's own image processor (transformers.js, configured by
 * `preprocessor_config.json`) run in fewer steps for the CLIP and SigLIP
 * kind of preprocessing: the processor's own output size, one sharp resize
 * with its interpolation (the call transformers.js makes), then center crop,
 * rescale and normalize in one pass straight into the batch, instead of a
 * sharp round trip per step and copies per image. The pixels are the same
 * as the processor's (the spec compares them). Answers undefined for a
 * processor that does more (padding, thumbnails, a class of its own):
 * that one runs as it is.
 */
export function directImagePreprocessor(processor: ImageProcessor, transformers: TransformersModule): DirectImagePreprocessor | undefined {
    const base = transformers.ImageProcessor.prototype as unknown as Record<string, unknown>;
    const own = processor as unknown as Record<string, unknown>;
    const plain = ['_call', 'preprocess', 'resize', 'get_resize_output_image_size', 'rescale'].every(method => own[method] === base[method]);
    const mean = channels(processor.image_mean);
    const std = channels(processor.image_std);
    const interpolator = INTERPOLATORS[processor.resample];
    const extras = processor.do_pad || processor.do_thumbnail || processor.do_crop_margin || processor.do_flip_channel_order;
    if (!plain || extras || interpolator === undefined || (processor.do_normalize && (!mean || !std))) {
        return undefined;
    }
    return new DirectImagePreprocessor(processor, transformers, interpolator, mean ?? [0, 0, 0], std ?? [1, 1, 1]);
}

function channels(value: unknown): number[] | undefined {
    if (typeof value === 'number') {
        return [value, value, value];
    }
    return Array.isArray(value) && value.length === 3 && value.every(each => typeof each === 'number') ? value : undefined;
}

export class DirectImagePreprocessor {

    constructor(
        protected readonly processor: ImageProcessor,
        protected readonly transformers: TransformersModule,
        protected readonly interpolator: 'nearest' | 'bilinear' | 'bicubic',
        protected readonly mean: readonly number[],
        protected readonly std: readonly number[]
    ) { }

    /** The batch's pixels; undefined when an image needs what this path does not do (a crop larger than the resized image). */
    async pixels(images: readonly AiImage[]): Promise<PixelBatch | undefined> {
        const resized = await Promise.all(images.map(image => this.resize(image)));
        const [cropWidth, cropHeight] = this.cropSize() ?? [resized[0].width, resized[0].height];
        if (resized.some(image => image.width < cropWidth || image.height < cropHeight || (!this.cropSize() && (image.width !== cropWidth || image.height !== cropHeight)))) {
            return undefined;
        }
        const plane = cropWidth * cropHeight;
        const data = new Float32Array(images.length * 3 * plane);
        const { do_rescale: rescale, rescale_factor: factor, do_normalize: normalize } = this.processor;
        resized.forEach((image, b) => {
            const left = Math.floor((image.width - cropWidth) / 2);
            const top = Math.floor((image.height - cropHeight) / 2);
            for (let c = 0; c < 3; c++) {
                const target = (b * 3 + c) * plane;
                const mean = this.mean[c];
                const std = this.std[c];
                for (let y = 0; y < cropHeight; y++) {
                    let source = ((top + y) * image.width + left) * 3 + c;
                    for (let x = 0; x < cropWidth; x++, source += 3) {
                        // Rounded to float32 between the steps, as the processor's Float32Array holds it.
                        const value = rescale ? Math.fround(image.data[source] * factor) : image.data[source];
                        data[target + y * cropWidth + x] = normalize ? (value - mean) / std : value;
                    }
                }
            }
        });
        return { data, dims: [images.length, 3, cropHeight, cropWidth] };
    }

    protected cropSize(): [number, number] | undefined {
        if (!this.processor.do_center_crop) {
            return undefined;
        }
        const crop = this.processor.crop_size;
        return Number.isInteger(crop) ? [crop, crop] : [crop.width, crop.height];
    }

    protected async resize({ rgb }: AiImage): Promise<{ data: Uint8Array; width: number; height: number }> {
        if (!this.processor.do_resize) {
            return rgb;
        }
        const probe = { size: [rgb.width, rgb.height], width: rgb.width, height: rgb.height } as unknown as Parameters<ImageProcessor['get_resize_output_image_size']>[0];
        const [width, height] = this.processor.get_resize_output_image_size(probe, this.processor.size);
        if (width === rgb.width && height === rgb.height) {
            return rgb;
        }
        const { data, info } = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
            .affine([width / rgb.width, 0, 0, height / rgb.height], { interpolator: this.interpolator })
            .raw().toBuffer({ resolveWithObject: true });
        if (info.channels !== 3) {
            throw new Error(`resizing an RGB image answered ${info.channels} channels`);
        }
        return { data, width: info.width, height: info.height };
    }
}
