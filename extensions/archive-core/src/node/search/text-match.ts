import type { QueryTerm, TermField } from '../../common/query-text';
import type { TextColumn } from '../store/text-grams';
import { TEXT_COLUMNS, toGrams } from '../store/text-grams';

/** The full-text columns a field prefix searches. */
const FIELD_COLUMNS: Record<Exclude<TermField, 'ext'>, readonly TextColumn[]> = {
    tag: ['tags'],
    layer: ['layers'],
    text: ['text'],
    ocr: ['ocr'],
    path: ['name', 'path']
};

export function columnsOf(term: QueryTerm): readonly TextColumn[] {
    return term.field && term.field !== 'ext' ? FIELD_COLUMNS[term.field] : TEXT_COLUMNS;
}

/**
 * Terms of three characters or more match through the trigram table
 * (`asset_text`, substring anywhere); shorter ones through the bigram table
 * (`asset_grams`), where a two-character term is one token and a
 * one-character term a token prefix.
 */
export function isShort(term: QueryTerm): boolean {
    return Array.from(term.value).length < 3;
}

function quoted(value: string): string {
    return `"${value.replace(/"/g, '""')}"`;
}

/**
 * Whether a long term can match through the bigram table as well: words of
 * two or more letters or digits between single spaces, so its bigrams in a
 * row (a phrase) match where the trigram table finds it (within a word, or
 * across a space).
 */
export function hasBigramPhrase(term: QueryTerm): boolean {
    return /^[\p{L}\p{N}]{2,}( [\p{L}\p{N}]{2,})*$/u.test(term.value);
}

/** The FTS5 expression of one term for the table it belongs to, or in the bigram table for a long term that {@link hasBigramPhrase}. */
export function termExpression(term: QueryTerm, table: 'asset_text' | 'asset_grams' = isShort(term) ? 'asset_grams' : 'asset_text'): string {
    const columns = `{${columnsOf(term).join(' ')}}`;
    if (!isShort(term) && table === 'asset_grams') {
        return `${columns} : ${quoted(toGrams(term.value))}`;
    }
    if (!isShort(term)) {
        return `${columns} : ${quoted(term.value)}`;
    }
    const value = term.value.toLowerCase();
    const words = value.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (!words.length) {
        return `${columns} : ${quoted(value)}`;
    }
    // One character: any bigram token starting with it (or the one-letter word itself).
    return words.map(word => Array.from(word).length === 1 ? `${columns} : ${quoted(word)} *` : `${columns} : ${quoted(word)}`).join(' AND ');
}

/** The terms joined for one MATCH; FTS5's AND binds the whole. */
export function matchExpression(terms: readonly QueryTerm[], join: 'AND' | 'OR', table?: 'asset_text' | 'asset_grams'): string {
    return terms.map(term => `(${termExpression(term, table)})`).join(` ${join} `);
}
