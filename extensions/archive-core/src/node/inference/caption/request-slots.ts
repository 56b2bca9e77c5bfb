/**
 * Requests in flight to an endpoint, at most `limit()` at once (read at each
 * acquire, so a changed setting applies to the next request). Waiters are
 * served in order; one that is aborted while it waits leaves the line.
 */
export class RequestSlots {

    protected active = 0;
    protected readonly waiting: { readonly grant: () => void }[] = [];

    constructor(protected readonly limit: () => number) { }

    /** Waits for a slot; answers false (holding none) when the signal aborts first. */
    acquire(signal?: AbortSignal): Promise<boolean> {
        if (signal?.aborted) {
            return Promise.resolve(false);
        }
        if (this.active < this.limit() && !this.waiting.length) {
            this.active++;
            return Promise.resolve(true);
        }
        return new Promise(resolve => {
            const entry = {
                grant: () => {
                    signal?.removeEventListener('abort', onAbort);
                    this.active++;
                    resolve(true);
                }
            };
            const onAbort = () => {
                const at = this.waiting.indexOf(entry);
                if (at >= 0) {
                    this.waiting.splice(at, 1);
                    resolve(false);
                }
            };
            signal?.addEventListener('abort', onAbort);
            this.waiting.push(entry);
        });
    }

    /** Gives a slot back and lets the next waiters in, as many as the limit allows. */
    release(): void {
        this.active = Math.max(0, this.active - 1);
        while (this.waiting.length && this.active < this.limit()) {
            this.waiting.shift()!.grant();
        }
    }
}
