import { injectable } from '@theia/core/shared/inversify';

/** The last 50 queries, newest first, in the browser's local storage. */
@injectable()
export class SearchHistory {
    static readonly KEY = 'imageparser.search.history';
    static readonly LIMIT = 50;

    entries(): string[] {
        try {
            const stored = JSON.parse(window.localStorage.getItem(SearchHistory.KEY) ?? '[]');
            return Array.isArray(stored) ? stored.filter(entry => typeof entry === 'string') : [];
        } catch {
            return [];
        }
    }

    add(query: string): void {
        const entries = [query, ...this.entries().filter(entry => entry !== query)].slice(0, SearchHistory.LIMIT);
        try {
            window.localStorage.setItem(SearchHistory.KEY, JSON.stringify(entries));
        } catch {
            // Storage full or disabled: the history is a convenience, searching goes on.
        }
    }
}
