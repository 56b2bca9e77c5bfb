import type { RenderOutcome } from './render-task';

type RenderFailure = Extract<RenderOutcome, { ok: false }>;

/** Failures that can depend on the machine's load are retried after this long; the others stand while remembered. */
const LOAD_DEPENDENT_MS = 10 * 60_000;

/**
 * Render failures remembered per (content hash, operation): a document that
 * failed (too deep, too big, too slow, crashing its thread) answers a retry
 * at once with the same error instead of holding a render thread again.
 * The bytes behind a content hash never change, so a failure stands, except
 * time limits and crashes, which may pass with the load and are forgotten
 * after ten minutes. Cancelled renders are not failures. The oldest are
 * forgotten first beyond `capacity`.
 */
export class RenderFailureCache {

    protected readonly failures = new Map<string, { readonly outcome: RenderFailure; readonly until: number }>();

    constructor(protected readonly capacity = 1000) { }

    get(hash: string, op: string): RenderFailure | undefined {
        const key = `${hash}\0${op}`;
        const entry = this.failures.get(key);
        if (entry && entry.until < Date.now()) {
            this.failures.delete(key);
            return undefined;
        }
        return entry?.outcome;
    }

    /** Remembers a failed outcome (nothing else); answers the outcome. */
    remember(hash: string, op: string, outcome: RenderOutcome): RenderOutcome {
        if (outcome.ok || outcome.error.code === 'cancelled') {
            return outcome;
        }
        const key = `${hash}\0${op}`;
        const passes = outcome.error.code === 'timeout' || outcome.error.code === 'crashed';
        this.failures.delete(key);
        this.failures.set(key, { outcome, until: passes ? Date.now() + LOAD_DEPENDENT_MS : Infinity });
        if (this.failures.size > this.capacity) {
            this.failures.delete(this.failures.keys().next().value!);
        }
        return outcome;
    }
}
