import type { QueryTerm } from '../../common/query-text';
import type { MatchReason, SearchAxisId } from '../../common/search-protocol';
import type { AxisCandidate } from './search-axis';
import { columnsOf } from './text-match';
import type { TextColumn } from '../store/text-grams';

/** Marks around matched words in snippets. */
export const SNIPPET_OPEN = '«';
export const SNIPPET_CLOSE = '»';
const CONTEXT = 32;

/**
 * Which text fields of an asset hold the query's words, and a snippet of the
 * most telling one with the words marked. Computed for the page of hits
 * shown only, in JavaScript, so it explains matches of either FTS table.
 */
export function explainText(columns: Partial<Record<TextColumn, string>>, terms: readonly QueryTerm[]): { fields: string[]; snippet?: string; snippetField?: TextColumn } {
    const fields = new Set<TextColumn>();
    let snippet: string | undefined;
    let snippetField: TextColumn | undefined;
    for (const term of terms) {
        const needle = term.value.toLowerCase();
        for (const column of columnsOf(term)) {
            const text = columns[column] ?? '';
            const at = text.toLowerCase().indexOf(needle);
            if (at < 0) {
                continue;
            }
            fields.add(column);
            if (!snippet && column !== 'path') {
                snippet = cut(text, at, needle.length);
                snippetField = column;
            }
        }
    }
    if (!snippet && fields.has('path')) {
        const term = terms.find(t => (columns.path ?? '').toLowerCase().includes(t.value.toLowerCase()));
        if (term) {
            snippet = cut(columns.path!, columns.path!.toLowerCase().indexOf(term.value.toLowerCase()), term.value.length);
            snippetField = 'path';
        }
    }
    return { fields: [...fields], snippet, snippetField };
}

/** How the vector axes placed a hit, for its reason. */
export interface VectorAxisMatches {
    /** The words the query's V and M ranking embedded ('' when none). */
    readonly words: string;
    /** Whether V ranked by the words (through the text tower) rather than by reference images. */
    readonly visualByWords: boolean;
    readonly axes: Partial<Record<SearchAxisId, AxisCandidate>>;
}

/**
 * The parts of a hit's reason the vector axes give, each naming its axis:
 * V by reference images "N % alike" (`similarity`, `hashDistance` for
 * near-duplicates), V by words "looks like" (`looksLike`), M "means" (`means`);
 * similarities as 0-100 with one decimal.
 */
export function explainVectors({ words, visualByWords, axes }: VectorAxisMatches): Pick<MatchReason, 'similarity' | 'hashDistance' | 'looksLike' | 'means'> {
    const visual = axes.V;
    const meaning = axes.M;
    const reason: { -readonly [K in keyof MatchReason]?: MatchReason[K] } = {};
    if (visual?.similarity !== undefined) {
        if (visualByWords) {
            reason.looksLike = { text: words, similarity: percent(visual.similarity) };
        } else {
            reason.similarity = percent(visual.similarity);
        }
    }
    if (visual?.hashDistance !== undefined) {
        reason.hashDistance = visual.hashDistance;
    }
    if (meaning?.similarity !== undefined) {
        reason.means = { text: words, similarity: percent(meaning.similarity) };
    }
    return reason;
}

function percent(similarity: number): number {
    return Math.max(0, Math.round(similarity * 1000) / 10);
}

function cut(text: string, at: number, length: number): string {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const lineEnd = text.indexOf('\n', at + length);
    const start = Math.max(lineStart, at - CONTEXT);
    const end = Math.min(lineEnd < 0 ? text.length : lineEnd, at + length + CONTEXT);
    return `${start > lineStart ? '…' : ''}${text.slice(start, at)}${SNIPPET_OPEN}${text.slice(at, at + length)}${SNIPPET_CLOSE}`
        + `${text.slice(at + length, end)}${end < (lineEnd < 0 ? text.length : lineEnd) ? '…' : ''}`;
}
