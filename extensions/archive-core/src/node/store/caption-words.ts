import type { Database } from 'better-sqlite3';
import { prepared } from './database';

/** One word of a caption for autocomplete: as written (lowercased), and without a trailing Korean particle. */
export interface CaptionWord {
    readonly word: string;
    /** The word without its particle ("고양이가" → "고양이"); the word itself when it has none. */
    readonly stem: string;
}

/** English words too common to complete a query with. */
const STOP_WORDS = new Set([
    'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'have', 'in', 'into', 'is', 'it', 'its', 'of', 'on', 'or',
    'over', 'that', 'the', 'their', 'there', 'this', 'to', 'under', 'was', 'were', 'while', 'with'
]);

type Attaches = 'any' | 'vowel' | 'consonant';

/**
 * Korean particles a caption word may end in, longest first, with the
 * syllable they follow (가/는/를 after a vowel, 은/을/과 after a final
 * consonant). 이 is left out: too many nouns end in it (고양이).
 */
const PARTICLES: readonly (readonly [string, Attaches])[] = ([
    ['에서는', 'any'], ['에게서', 'any'], ['이라는', 'consonant'], ['에서', 'any'], ['에게', 'any'], ['까지', 'any'], ['부터', 'any'],
    ['처럼', 'any'], ['보다', 'any'], ['에는', 'any'], ['에도', 'any'], ['으로', 'consonant'], ['라는', 'vowel'], ['이랑', 'consonant'],
    ['의', 'any'], ['에', 'any'], ['도', 'any'], ['만', 'any'], ['는', 'vowel'], ['를', 'vowel'], ['가', 'vowel'], ['와', 'vowel'],
    ['로', 'vowel'], ['랑', 'vowel'], ['은', 'consonant'], ['을', 'consonant'], ['과', 'consonant']
] as const).slice().sort((a, b) => b[0].length - a[0].length);

const HANGUL_WORD = /^[\uAC00-\uD7A3]+$/;

/** The caption's distinct words, lowercased: English stop words, single letters and bare numbers left out. */
export function captionWordsOf(text: string): CaptionWord[] {
    const words = new Map<string, CaptionWord>();
    for (const match of text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []) {
        const word = match.replace(/['’]s$/, '');
        if (Array.from(word).length < 2 || STOP_WORDS.has(word) || /^\p{N}+$/u.test(word) || words.has(word)) {
            continue;
        }
        words.set(word, { word, stem: stemOf(word) });
    }
    return [...words.values()];
}

/** The Korean word without its trailing particle, when at least two syllables are left; any other word as it is. */
export function stemOf(word: string): string {
    if (!HANGUL_WORD.test(word)) {
        return word;
    }
    for (const [particle, attaches] of PARTICLES) {
        const stem = word.slice(0, word.length - particle.length);
        if (word.endsWith(particle) && stem.length >= 2 && follows(stem, attaches)) {
            return stem;
        }
    }
    return word;
}

function follows(stem: string, attaches: Attaches): boolean {
    if (attaches === 'any') {
        return true;
    }
    const finalConsonant = (stem.charCodeAt(stem.length - 1) - 0xAC00) % 28 !== 0;
    return attaches === 'consonant' ? finalConsonant : !finalConsonant;
}

/** Replaces the asset's caption words with those of its stored captions; call it inside the write transaction that changed them. */
export function refreshCaptionWords(db: Database, assetId: number): void {
    prepared(db, 'DELETE FROM caption_words WHERE asset_id = ?').run(assetId);
    const text = (prepared(db, 'SELECT text FROM asset_captions WHERE asset_id = ?').pluck().all(assetId) as string[]).join('\n');
    for (const { word, stem } of captionWordsOf(text)) {
        prepared(db, 'INSERT OR IGNORE INTO caption_words (asset_id, word, stem) VALUES (?, ?, ?)').run(assetId, word, stem);
    }
}
