/** A colour the tiny image-text models know: where it lies in RGB and the words (English and Korean) that name it. */
export interface ColourWord {
    readonly name: string;
    /** Its RGB, each channel 0..1. */
    readonly rgb: readonly [number, number, number];
    readonly words: readonly string[];
}

/**
 * The colours of the tiny CLIP- and SigLIP-style models. An image's vision
 * embedding is how much of it lies near each colour; a text's is the
 * colours its words name, so "red", "빨강" and "빨간" all point where red
 * images do.
 */
export const COLOUR_WORDS: readonly ColourWord[] = [
    { name: 'red', rgb: [0.9, 0.1, 0.1], words: ['red', 'crimson', 'scarlet', '빨강', '빨간', '빨간색', '빨강색', '붉은', '빨갛다', '레드'] },
    { name: 'orange', rgb: [1, 0.55, 0.05], words: ['orange', '주황', '주황색', '오렌지'] },
    { name: 'yellow', rgb: [1, 0.9, 0.1], words: ['yellow', '노랑', '노란', '노란색', '노랑색', '옐로'] },
    { name: 'green', rgb: [0.1, 0.7, 0.15], words: ['green', '초록', '초록색', '녹색', '그린'] },
    { name: 'blue', rgb: [0.1, 0.2, 0.9], words: ['blue', 'navy', '파랑', '파란', '파란색', '파랑색', '블루'] },
    { name: 'purple', rgb: [0.5, 0.15, 0.6], words: ['purple', 'violet', '보라', '보라색', '퍼플'] },
    { name: 'pink', rgb: [1, 0.6, 0.75], words: ['pink', '분홍', '분홍색', '핑크'] },
    { name: 'brown', rgb: [0.45, 0.27, 0.1], words: ['brown', '갈색', '브라운'] },
    { name: 'black', rgb: [0.05, 0.05, 0.05], words: ['black', 'dark', '검정', '검은', '검정색', '까만', '까만색', '블랙'] },
    { name: 'white', rgb: [0.95, 0.95, 0.95], words: ['white', '하양', '하얀', '흰', '흰색', '하얀색', '화이트'] },
    { name: 'grey', rgb: [0.5, 0.5, 0.5], words: ['grey', 'gray', '회색', '그레이'] }
];

/** The colour a word names, if it names one (lower case, NFC). */
export function colourOf(word: string): ColourWord | undefined {
    const normalized = word.normalize('NFC').toLowerCase();
    return COLOUR_WORDS.find(colour => colour.words.includes(normalized));
}
