import type { QueryTerm } from '../../common/query-text';
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
export function explainText(columns: Partial<Record<TextColumn, string>>, terms: readonly QueryTerm[]): { fields: string[]; snippet?: string } {
    const fields = new Set<TextColumn>();
    let snippet: string | undefined;
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
            }
        }
    }
    if (!snippet && fields.has('path')) {
        const term = terms.find(t => (columns.path ?? '').toLowerCase().includes(t.value.toLowerCase()));
        if (term) {
            snippet = cut(columns.path!, columns.path!.toLowerCase().indexOf(term.value.toLowerCase()), term.value.length);
        }
    }
    return { fields: [...fields], snippet };
}

function cut(text: string, at: number, length: number): string {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const lineEnd = text.indexOf('\n', at + length);
    const start = Math.max(lineStart, at - CONTEXT);
    const end = Math.min(lineEnd < 0 ? text.length : lineEnd, at + length + CONTEXT);
    return `${start > lineStart ? '…' : ''}${text.slice(start, at)}${SNIPPET_OPEN}${text.slice(at, at + length)}${SNIPPET_CLOSE}`
        + `${text.slice(at + length, end)}${end < (lineEnd < 0 ? text.length : lineEnd) ? '…' : ''}`;
}
