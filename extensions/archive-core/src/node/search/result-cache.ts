/**
 * Answers to recent queries, keyed by the query (without its page), valid
 * while the archive has not changed: each entry remembers the archive's data
 * version (SQLite's `PRAGMA data_version` on the read connection, which moves
 * with every commit by any connection or process) and is dropped when it
 * differs. Least recently used entries go first.
 */
export class ResultCache<T> {
    protected readonly entries = new Map<string, { version: number; value: T }>();

    constructor(protected readonly capacity = 64) { }

    get(key: string, version: number): T | undefined {
        const entry = this.entries.get(key);
        if (!entry) {
            return undefined;
        }
        this.entries.delete(key);
        if (entry.version !== version) {
            return undefined;
        }
        this.entries.set(key, entry);
        return entry.value;
    }

    set(key: string, version: number, value: T): void {
        this.entries.delete(key);
        this.entries.set(key, { version, value });
        while (this.entries.size > this.capacity) {
            this.entries.delete(this.entries.keys().next().value!);
        }
    }

    clear(): void {
        this.entries.clear();
    }
}
