import { BlendMode } from 'ag-psd';

/**
 * The blend function B(Cb, Cs) of one blend mode for one pixel: the backdrop
 * colour (br, bg, bb) and the source colour (sr, sg, sb), all 0..1 on the
 * document's encoded values (8-bit sRGB in 8- and 16-bit documents, as
 * Photoshop blends), written into `out[0..2]`. Compositing with alpha,
 * `(1 - αb) Cs + αb B(Cb, Cs)`, is the caller's.
 */
export type PixelBlend = (br: number, bg: number, bb: number, sr: number, sg: number, sb: number, out: Float32Array) => void;

type ChannelBlend = (cb: number, cs: number) => number;

const screen: ChannelBlend = (cb, cs) => cb + cs - cb * cs;
const colorDodge: ChannelBlend = (cb, cs) => cb <= 0 ? 0 : cs >= 1 ? 1 : Math.min(1, cb / (1 - cs));
const colorBurn: ChannelBlend = (cb, cs) => cb >= 1 ? 1 : cs <= 0 ? 0 : 1 - Math.min(1, (1 - cb) / cs);
const hardLight: ChannelBlend = (cb, cs) => cs <= 0.5 ? cb * 2 * cs : screen(cb, 2 * cs - 1);

/** W3C Compositing Level 1 separable modes, plus Photoshop's own light and contrast modes. */
const CHANNEL_BLENDS: Partial<Record<BlendMode, ChannelBlend>> = {
    'multiply': (cb, cs) => cb * cs,
    'screen': screen,
    'overlay': (cb, cs) => hardLight(cs, cb),
    'darken': Math.min,
    'lighten': Math.max,
    'color dodge': colorDodge,
    'color burn': colorBurn,
    'linear burn': (cb, cs) => Math.max(0, cb + cs - 1),
    'linear dodge': (cb, cs) => Math.min(1, cb + cs),
    'hard light': hardLight,
    'soft light': (cb, cs) => cs <= 0.5
        ? cb - (1 - 2 * cs) * cb * (1 - cb)
        : cb + (2 * cs - 1) * ((cb <= 0.25 ? ((16 * cb - 12) * cb + 4) * cb : Math.sqrt(cb)) - cb),
    'difference': (cb, cs) => Math.abs(cb - cs),
    'exclusion': (cb, cs) => cb + cs - 2 * cb * cs,
    'subtract': (cb, cs) => Math.max(0, cb - cs),
    'divide': (cb, cs) => cs <= 0 ? (cb <= 0 ? 0 : 1) : Math.min(1, cb / cs),
    // Photoshop lets the source's extremes win here: black burns even white, white dodges even black.
    'vivid light': (cb, cs) => cs <= 0.5
        ? (cs <= 0 ? 0 : Math.max(0, 1 - (1 - cb) / (2 * cs)))
        : (cs >= 1 ? 1 : Math.min(1, cb / (2 * (1 - cs)))),
    'linear light': (cb, cs) => Math.max(0, Math.min(1, cb + 2 * cs - 1)),
    'pin light': (cb, cs) => cs <= 0.5 ? Math.min(cb, 2 * cs) : Math.max(cb, 2 * cs - 1)
};

function separable(blend: ChannelBlend): PixelBlend {
    return (br, bg, bb, sr, sg, sb, out) => {
        out[0] = blend(br, sr);
        out[1] = blend(bg, sg);
        out[2] = blend(bb, sb);
    };
}

function lum(r: number, g: number, b: number): number {
    return 0.3 * r + 0.59 * g + 0.11 * b;
}

/** W3C SetLum followed by ClipColor, into `out`. */
function setLum(r: number, g: number, b: number, l: number, out: Float32Array): void {
    const d = l - lum(r, g, b);
    r += d;
    g += d;
    b += d;
    const lightness = lum(r, g, b);
    const n = Math.min(r, g, b), x = Math.max(r, g, b);
    if (n < 0) {
        const k = lightness / (lightness - n);
        r = lightness + (r - lightness) * k;
        g = lightness + (g - lightness) * k;
        b = lightness + (b - lightness) * k;
    }
    if (x > 1) {
        const k = (1 - lightness) / (x - lightness);
        r = lightness + (r - lightness) * k;
        g = lightness + (g - lightness) * k;
        b = lightness + (b - lightness) * k;
    }
    out[0] = r;
    out[1] = g;
    out[2] = b;
}

/** W3C SetSat: the colour's hue and luminosity order with saturation s, into `out`. */
function setSat(r: number, g: number, b: number, s: number, out: Float32Array): void {
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    const scale = max > min ? s / (max - min) : 0;
    out[0] = (r - min) * scale;
    out[1] = (g - min) * scale;
    out[2] = (b - min) * scale;
}

function sat(r: number, g: number, b: number): number {
    return Math.max(r, g, b) - Math.min(r, g, b);
}

/** W3C non-separable modes, and Photoshop's darker and lighter colour. */
const PIXEL_BLENDS: Partial<Record<BlendMode, PixelBlend>> = {
    'hue': (br, bg, bb, sr, sg, sb, out) => {
        setSat(sr, sg, sb, sat(br, bg, bb), out);
        setLum(out[0], out[1], out[2], lum(br, bg, bb), out);
    },
    'saturation': (br, bg, bb, sr, sg, sb, out) => {
        setSat(br, bg, bb, sat(sr, sg, sb), out);
        setLum(out[0], out[1], out[2], lum(br, bg, bb), out);
    },
    'color': (br, bg, bb, sr, sg, sb, out) => setLum(sr, sg, sb, lum(br, bg, bb), out),
    'luminosity': (br, bg, bb, sr, sg, sb, out) => setLum(br, bg, bb, lum(sr, sg, sb), out),
    'darker color': (br, bg, bb, sr, sg, sb, out) => {
        const source = lum(sr, sg, sb) < lum(br, bg, bb);
        out[0] = source ? sr : br;
        out[1] = source ? sg : bg;
        out[2] = source ? sb : bb;
    },
    'lighter color': (br, bg, bb, sr, sg, sb, out) => {
        const source = lum(sr, sg, sb) > lum(br, bg, bb);
        out[0] = source ? sr : br;
        out[1] = source ? sg : bg;
        out[2] = source ? sb : bb;
    }
};

const BLENDS = new Map<BlendMode, PixelBlend>([
    ...Object.entries(CHANNEL_BLENDS).map(([mode, blend]) => [mode as BlendMode, separable(blend!)] as const),
    ...Object.entries(PIXEL_BLENDS).map(([mode, blend]) => [mode as BlendMode, blend!] as const)
]);

/**
 * The blend function of a mode: undefined for normal (and pass through,
 * which only groups have), where plain source-over applies, and for the
 * modes that are not implemented (dissolve, hard mix, the 3D height modes),
 * which `isBlendModeSupported` tells apart.
 */
export function blendFunctionOf(mode: BlendMode | undefined): PixelBlend | undefined {
    return mode === undefined ? undefined : BLENDS.get(mode);
}

/** Whether a mode is drawn exactly as Photoshop defines it (normal and pass through included). */
export function isBlendModeSupported(mode: BlendMode | undefined): boolean {
    return mode === undefined || mode === 'normal' || mode === 'pass through' || BLENDS.has(mode);
}
