/** How many times smaller than its box, on both sides, an image must be to be drawn larger. */
const ENLARGE_FROM = 3;

/** The CSS class of an image drawn larger than it is, pixel by pixel (`image-rendering: pixelated`). */
export const PIXELATED_CLASS = 'imageparser-pixelated';

/**
 * The whole multiple an image of `natural` size is drawn at in a box of
 * `box` size: the largest that fits when the image is at least three times
 * smaller than the box on both sides (an 8 x 8 image in a 150 px cell: 18),
 * else 1.
 */
export function enlargement(natural: { width: number; height: number }, box: { width: number; height: number }): number {
    if (natural.width <= 0 || natural.height <= 0) {
        return 1;
    }
    const scale = Math.floor(Math.min(box.width / natural.width, box.height / natural.height));
    return scale >= ENLARGE_FROM ? scale : 1;
}

/**
 * For an `<img>`'s load event: a thumbnail much smaller than the box it is
 * shown in (thumbnails of 1 x 1 or 8 x 8 images are that small, as
 * thumbnails are never enlarged) is drawn at a whole multiple of its size
 * with crisp pixels, instead of as a dot. With `box`, the image gets that
 * size; without, the image's own box (sized by CSS, `object-fit: contain`)
 * already enlarges it, and only its pixels are kept crisp. A larger image
 * is left as CSS draws it.
 */
export function enlargeSmallImage(image: HTMLImageElement, box?: HTMLElement): void {
    const natural = { width: image.naturalWidth, height: image.naturalHeight };
    const area = box ?? image;
    const scale = enlargement(natural, { width: area.clientWidth, height: area.clientHeight });
    image.classList.toggle(PIXELATED_CLASS, scale > 1);
    if (box) {
        image.style.width = scale > 1 ? `${natural.width * scale}px` : '';
        image.style.height = scale > 1 ? `${natural.height * scale}px` : '';
    }
}
