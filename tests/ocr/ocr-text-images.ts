import * as cp from 'child_process';
import sharp from 'sharp';

/** Which language an image's text is in, for the per-language error rates. */
export type TextLanguage = 'korean' | 'english' | 'mixed';

/** One generated image: its known text (one line per entry) and how it is drawn. */
export interface TextImage {
    readonly name: string;
    readonly language: TextLanguage;
    readonly lines: readonly string[];
    readonly font: string;
    /** Text height in pixels. */
    readonly size: number;
    readonly background: string;
    readonly color: string;
    /** Degrees the whole image is turned by. */
    readonly rotate?: number;
    readonly format: 'png' | 'jpeg';
    /** Dark text on a plain light background, upright: what the error-rate targets are set on. */
    readonly clean: boolean;
}

const KOREAN = [
    ['고양이 캐릭터 배경'], ['오늘의 날씨는 맑음'], ['디자인 시안 최종본'], ['여름 축제 포스터'], ['새로운 메뉴 출시 안내'],
    ['회의실 예약 현황', '담당자 김민수'], ['주문하신 상품이 발송되었습니다'], ['봄맞이 할인 행사'], ['우리 동네 작은 도서관'],
    ['행복한 하루 되세요'], ['제주도 바다 풍경'], ['겨울 신상품 입고']
];
const ENGLISH = [
    ['The quick brown fox jumps'], ['Summer Sale up to half price'], ['Invoice number 20931'], ['Meeting room booking'],
    ['Welcome to the archive', 'Please sign in'], ['Final design draft'], ['Open every day from nine'], ['Coffee and fresh bread'],
    ['Character sheet front view'], ['Storyboard scene twelve']
];
const MIXED = [
    ['신제품 Launch 2024'], ['ImageParser 검색 테스트'], ['Seoul 서울 여행 Guide'], ['배경 Background 레이어'],
    ['OCR 정확도 측정'], ['Photoshop 파일 정리'], ['Chapter 3 고양이의 모험'], ['Team 회의 오후 3시']
];

const LIGHT = ['#ffffff', '#f2f2f2', '#fff8dc'];
const SIZES = [32, 44, 60];

/**
 * The test set: 30 images (12 Korean, 10 English, 8 mixed) in Noto Sans and
 * Serif CJK and DejaVu Sans and Serif, at three sizes, on three light
 * backgrounds, two of them light-on-dark, one turned by 3 degrees, some as
 * JPEG. Dark-on-light upright images are the clean set.
 */
export function textImageSet(): TextImage[] {
    const images: TextImage[] = [];
    const add = (language: TextLanguage, texts: string[][], fonts: string[]) => texts.forEach((lines, i) => {
        const dark = i === 3 && language !== 'mixed';
        const rotate = language === 'korean' && i === 5 ? 3 : undefined;
        images.push({
            name: `${language}-${i}`, language, lines,
            font: fonts[i % fonts.length],
            size: SIZES[i % SIZES.length],
            background: dark ? '#1e2a3a' : LIGHT[i % LIGHT.length],
            color: dark ? '#f5f5f5' : '#111111',
            rotate,
            format: i % 4 === 2 ? 'jpeg' : 'png',
            clean: !dark && rotate === undefined
        });
    });
    add('korean', KOREAN, ['Noto Sans CJK KR', 'Noto Serif CJK KR']);
    add('english', ENGLISH, ['DejaVu Sans', 'DejaVu Serif', 'Noto Sans CJK KR']);
    add('mixed', MIXED, ['Noto Sans CJK KR', 'Noto Serif CJK KR']);
    return images;
}

/** Renders an image's text with librsvg (Pango and fontconfig), 1024 pixels wide. */
export async function renderTextImage(image: TextImage): Promise<Buffer> {
    const width = 1024;
    const lineHeight = Math.round(image.size * 1.6);
    const height = lineHeight * image.lines.length + image.size * 2;
    const text = image.lines.map((line, i) =>
        `<text x="${image.size}" y="${image.size + lineHeight * (i + 0.75)}" font-family="${image.font}" font-size="${image.size}" fill="${image.color}">${escapeXml(line)}</text>`
    ).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${image.background}"/>${text}</svg>`;
    let pipeline = sharp(Buffer.from(svg));
    if (image.rotate) {
        pipeline = sharp(await pipeline.png().toBuffer()).rotate(image.rotate, { background: image.background });
    }
    return image.format === 'jpeg' ? pipeline.jpeg({ quality: 85 }).toBuffer() : pipeline.png().toBuffer();
}

function escapeXml(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
    const x = Array.from(a);
    const y = Array.from(b);
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[y.length];
}

/** The characters a reader compares: whitespace dropped (Tesseract's word spacing in Korean varies), case kept. */
export function comparable(text: string): string {
    return text.replace(/\s+/gu, '');
}

/** Throws a clear error when the fonts the images are drawn with are missing (`scripts/test.sh` installs them). */
export function assertTestFonts(): void {
    const families = cp.spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' }).stdout ?? '';
    for (const family of ['Noto Sans CJK KR', 'Noto Serif CJK KR', 'DejaVu Sans', 'DejaVu Serif']) {
        if (!families.includes(family)) {
            throw new Error(`The font "${family}" is not installed: run scripts/test.sh, or apt-get install fonts-noto-cjk fonts-dejavu-core.`);
        }
    }
}
