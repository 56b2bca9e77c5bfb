import type { CaptionLanguage } from '../../../common/ai-protocol';
import { CaptionAnswer, CaptionError } from '../captioner';

/**
 * THE one place that maps what a captioning model answers to the fields the
 * archive stores ({@link CaptionAnswer}): a model may name its caption
 * `caption`, `description`, `text`, `alt` or `summary`, its Korean caption
 * `caption_ko` or `korean`, its tags `tags`, `keywords`, `labels` or
 * `objects`, as strings or as `{ name | tag | label, confidence | score }`.
 * A product this replaces lost every caption because the model's keys and
 * the store's did not match; every answer goes through here.
 */

/** The most tags one image keeps (the most confident first). */
export const MAX_TAGS = 30;
/** A tag longer than this (in characters) is a sentence, not a tag: it is dropped. */
export const MAX_TAG_LENGTH = 48;
/** A caption is cut to this many characters. */
export const MAX_CAPTION_LENGTH = 2000;

/** The keys a caption in one language may come under, lower-cased, most specific first. */
const LANGUAGE_KEYS: Record<CaptionLanguage, readonly string[]> = {
    en: ['caption_en', 'en', 'english', 'caption_english', 'english_caption', 'description_en', 'text_en', 'alt_en', 'summary_en'],
    ko: ['caption_ko', 'ko', 'korean', 'caption_korean', 'korean_caption', 'description_ko', 'text_ko', 'alt_ko', 'summary_ko', '한국어', 'kr', 'caption_kr']
};
/** Keys of a caption whose language is read from its script. */
const CAPTION_KEYS = ['caption', 'description', 'text', 'alt', 'alt_text', 'summary'];
/** Keys that hold the captions per language (`{ en: …, ko: … }` or `[{ language, text }]`). */
const CAPTIONS_KEYS = ['captions', 'descriptions'];
const TAG_KEYS = ['tags', 'keywords', 'labels', 'objects', 'ai_tags', 'tag_list', 'tags_en', 'tags_ko', 'keywords_en', 'keywords_ko'];
const TAG_NAME_KEYS = ['name', 'tag', 'label', 'keyword', 'text', 'object'];
const TAG_CONFIDENCE_KEYS = ['confidence', 'score', 'probability', 'prob', 'weight'];
/** Keys a server or model wraps the answer in. */
const WRAPPER_KEYS = ['result', 'data', 'response', 'output', 'answer'];

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;

/**
 * Reads a JSON object out of a model's text: the text itself, or the first
 * fenced block (```json … ```), or the outermost `{ … }` in surrounding prose
 * (servers that ignore `response_format` answer so).
 * @throws CaptionError `malformed-answer` (retryable) when there is none.
 */
export function parseJsonAnswer(answer: string): Record<string, unknown> {
    // A reasoning model thinks aloud first; its thoughts may hold braces of their own.
    const text = answer.replace(/<think>[\s\S]*?<\/think>/giu, '');
    const candidates = [text.trim()];
    const fenced = /```(?:json|JSON)?\s*([\s\S]*?)```/.exec(text);
    if (fenced) {
        candidates.push(fenced[1].trim());
    }
    const first = text.indexOf('{');
    const last = text.lastIndexOf('}');
    if (first >= 0 && last > first) {
        candidates.push(text.slice(first, last + 1));
    }
    for (const candidate of candidates) {
        try {
            const value: unknown = JSON.parse(candidate);
            if (isRecord(value)) {
                return value;
            }
        } catch {
            // The next candidate.
        }
    }
    throw new CaptionError(`The model's answer holds no JSON object: ${excerpt(text)}`, 'malformed-answer', true);
}

/**
 * Maps a model's JSON answer to the stored fields: one caption per wanted
 * language (a caption under a key without a language goes to the language
 * its script says: Hangul is Korean), and the tags normalized.
 * @throws CaptionError `malformed-answer` (retryable) when a wanted language has no caption.
 */
export function captionAnswerOf(answer: Record<string, unknown>, languages: readonly CaptionLanguage[]): CaptionAnswer {
    const fields = unwrap(lowerKeys(answer));
    const found = new Map<CaptionLanguage, string>();
    const put = (language: CaptionLanguage, value: unknown) => {
        const text = captionText(value);
        if (text && !found.has(language)) {
            found.set(language, text);
        }
    };
    for (const language of ['en', 'ko'] as const) {
        LANGUAGE_KEYS[language].forEach(key => put(language, fields[key]));
    }
    for (const key of CAPTIONS_KEYS) {
        readCaptionList(fields[key], put);
    }
    const untagged = CAPTION_KEYS.map(key => captionText(fields[key])).filter((text): text is string => !!text);
    for (const text of untagged) {
        const script: CaptionLanguage = HANGUL.test(text) ? 'ko' : 'en';
        // One wanted language takes a caption without a language whatever its script; two read it from the script.
        const language = languages.length === 1 ? languages[0] : script;
        if (!found.has(language)) {
            found.set(language, text);
        }
    }
    const missing = languages.filter(language => !found.has(language));
    if (missing.length) {
        throw new CaptionError(`The model's answer has no ${missing.join(' and ')} caption (keys: ${Object.keys(fields).join(', ') || 'none'})`,
            'malformed-answer', true);
    }
    const rawTags = TAG_KEYS.flatMap(key => tagEntries(fields[key]));
    return {
        captions: languages.map(language => ({ language, text: found.get(language)! })),
        tags: normalizeTags(rawTags)
    };
}

/** A tag as a model gave it, before normalization. */
export interface RawTag {
    readonly name: string;
    readonly confidence?: number;
}

/**
 * Normalizes tags: Unicode NFC, trimmed, leading `#` and surrounding quotes
 * stripped, lower-cased in scripts with case (Korean is kept as it is),
 * inner whitespace collapsed to one space; empty and over-long ones dropped;
 * duplicates (also across case) merged keeping the highest confidence; the
 * most confident {@link MAX_TAGS} kept, in the order given among equals.
 */
export function normalizeTags(tags: readonly RawTag[]): { name: string; confidence?: number }[] {
    const byName = new Map<string, { name: string; confidence?: number; order: number }>();
    for (const tag of tags) {
        const name = normalizeTagName(tag.name);
        if (!name) {
            continue;
        }
        const confidence = normalizeConfidence(tag.confidence);
        const known = byName.get(name);
        if (!known) {
            byName.set(name, { name, confidence, order: byName.size });
        } else if (confidence !== undefined && (known.confidence === undefined || confidence > known.confidence)) {
            known.confidence = confidence;
        }
    }
    return [...byName.values()]
        .sort((a, b) => (b.confidence ?? -1) - (a.confidence ?? -1) || a.order - b.order)
        .slice(0, MAX_TAGS)
        .map(({ name, confidence }) => confidence === undefined ? { name } : { name, confidence });
}

/** One tag's name normalized (see {@link normalizeTags}); '' when nothing is left or it is too long. */
export function normalizeTagName(raw: string): string {
    const name = raw.normalize('NFC')
        .replace(/[\p{Cc}\s]+/gu, ' ')
        .trim()
        .replace(/^[#＃]+/u, '')
        .replace(/^["'`“”‘’]+|["'`“”‘’.,;:!?]+$/gu, '')
        .trim()
        .toLowerCase()
        .normalize('NFC');
    return name.length > MAX_TAG_LENGTH ? '' : name;
}

/** A confidence 0..1; a percent (1 < x <= 100) is read as one; anything else is dropped. */
function normalizeConfidence(value: unknown): number | undefined {
    const number = typeof value === 'string' ? Number(value.trim().replace(/%$/, '')) : value;
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
        return undefined;
    }
    const fraction = number > 1 ? number / 100 : number;
    return fraction <= 1 ? Math.round(fraction * 1000) / 1000 : undefined;
}

function tagEntries(value: unknown): RawTag[] {
    if (typeof value === 'string') {
        return value.split(/[,\n]/u).map(name => ({ name }));
    }
    if (!Array.isArray(value)) {
        return [];
    }
    return value.flatMap((entry): RawTag[] => {
        if (typeof entry === 'string') {
            return [{ name: entry }];
        }
        if (!isRecord(entry)) {
            return [];
        }
        const fields = lowerKeys(entry);
        const name = TAG_NAME_KEYS.map(key => fields[key]).find((each): each is string => typeof each === 'string');
        const confidence = TAG_CONFIDENCE_KEYS.map(key => fields[key]).find(each => each !== undefined);
        return name ? [{ name, confidence: confidence as number | undefined }] : [];
    });
}

function readCaptionList(value: unknown, put: (language: CaptionLanguage, value: unknown) => void): void {
    if (Array.isArray(value)) {
        for (const entry of value) {
            if (isRecord(entry)) {
                const fields = lowerKeys(entry);
                const language = languageOf(fields.language ?? fields.lang);
                const text = CAPTION_KEYS.map(key => fields[key]).find(each => typeof each === 'string');
                if (language && text !== undefined) {
                    put(language, text);
                }
            }
        }
    } else if (isRecord(value)) {
        for (const [key, text] of Object.entries(lowerKeys(value))) {
            const language = languageOf(key);
            if (language) {
                put(language, text);
            }
        }
    }
}

function languageOf(value: unknown): CaptionLanguage | undefined {
    if (typeof value !== 'string') {
        return undefined;
    }
    const key = value.trim().toLowerCase();
    if (key === 'en' || key.startsWith('en-') || key === 'english') {
        return 'en';
    }
    return key === 'ko' || key.startsWith('ko-') || key === 'korean' || key === 'kr' || key === '한국어' ? 'ko' : undefined;
}

function captionText(value: unknown): string | undefined {
    if (typeof value !== 'string') {
        return undefined;
    }
    const text = value.normalize('NFC').replace(/[\p{Cc}\s]+/gu, ' ').trim();
    return text ? text.slice(0, MAX_CAPTION_LENGTH) : undefined;
}

/** `{ result: { … } }` and the like: the inner object, when the outer has nothing of its own. */
function unwrap(fields: Record<string, unknown>): Record<string, unknown> {
    const known = [...LANGUAGE_KEYS.en, ...LANGUAGE_KEYS.ko, ...CAPTION_KEYS, ...CAPTIONS_KEYS, ...TAG_KEYS];
    if (known.some(key => fields[key] !== undefined)) {
        return fields;
    }
    const inner = WRAPPER_KEYS.map(key => fields[key]).find(isRecord);
    return inner ? unwrap(lowerKeys(inner)) : fields;
}

/** The object's keys lower-cased, with spaces and dashes as underscores (`Caption-KO` is `caption_ko`). */
function lowerKeys(value: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
        const lowered = key.normalize('NFC').trim().toLowerCase().replace(/[\s-]+/gu, '_');
        if (!(lowered in result)) {
            result[lowered] = field;
        }
    }
    return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(text: string): string {
    const flat = text.replace(/\s+/gu, ' ').trim();
    return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty)';
}
