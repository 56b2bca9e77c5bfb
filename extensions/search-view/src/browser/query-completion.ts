/** The word being typed at the end of a query: the text before it, its operator (`tag:`, `-`, `-layer:`) and the word itself. */
export interface QueryWord {
    readonly before: string;
    readonly operator: string;
    readonly word: string;
}

/**
 * Splits off the last word of the query, the one autocomplete completes. A
 * word after a space is a new word; an open quote (`tag:"숲 배`) keeps the
 * words inside it together.
 */
export function lastQueryWord(text: string): QueryWord {
    const quote = /(^|\s)(-?(?:[a-z]+:)?)"([^"]*)$/i.exec(text);
    if (quote) {
        return { before: text.slice(0, quote.index + quote[1].length), operator: quote[2], word: quote[3].trimStart() };
    }
    const match = /(^|\s)(-?(?:[a-z]+:)?)([^\s]*)$/i.exec(text)!;
    return { before: text.slice(0, match.index + match[1].length), operator: match[2], word: match[3] };
}

/** The query with its last word replaced by the suggestion (quoted when it holds a space), keeping the words before and the operator. */
export function completeQuery(text: string, suggestion: string): string {
    const { before, operator } = lastQueryWord(text);
    return `${before}${operator}${/\s/.test(suggestion) ? `"${suggestion.replace(/"/g, '')}"` : suggestion}`;
}
