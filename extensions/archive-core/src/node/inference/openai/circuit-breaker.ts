/** How a {@link CircuitBreaker} opens and cools down. */
export interface CircuitBreakerOptions {
    /** Consecutive failures that open the circuit (5). */
    readonly failureThreshold?: number;
    /** The first wait before a probe, in ms (5 s); it doubles each time a probe fails. */
    readonly cooldownMs?: number;
    /** The longest wait before a probe, in ms (5 min). */
    readonly maxCooldownMs?: number;
    /** The clock (ms); `Date.now` by default. */
    readonly now?: () => number;
}

/** `closed`: requests go through; `open`: none until the retry time; `half-open`: one probe is out. */
export type CircuitState = 'closed' | 'open' | 'half-open';

const DEFAULTS = { failureThreshold: 5, cooldownMs: 5_000, maxCooldownMs: 300_000 };

/**
 * A circuit breaker for one endpoint. It opens after `failureThreshold`
 * consecutive failures; once the cooldown has passed it lets one probe
 * through (half-open): a success closes it, a failure opens it again for
 * twice the cooldown (up to `maxCooldownMs`). While it is open callers get
 * nothing through, and {@link retryAt} says when the next probe may go.
 */
export class CircuitBreaker {

    protected readonly failureThreshold: number;
    protected readonly baseCooldownMs: number;
    protected readonly maxCooldownMs: number;
    protected readonly now: () => number;

    protected failures = 0;
    protected opened = false;
    protected probing = false;
    protected cooldownMs: number;
    protected reopenAt = 0;
    /** Why it opened: the last failure's words. */
    lastFailure: string | undefined;

    constructor(options: CircuitBreakerOptions = {}) {
        this.failureThreshold = Math.max(1, Math.floor(options.failureThreshold ?? DEFAULTS.failureThreshold));
        this.baseCooldownMs = Math.max(0, options.cooldownMs ?? DEFAULTS.cooldownMs);
        this.maxCooldownMs = Math.max(this.baseCooldownMs, options.maxCooldownMs ?? DEFAULTS.maxCooldownMs);
        this.now = options.now ?? Date.now;
        this.cooldownMs = this.baseCooldownMs;
    }

    get state(): CircuitState {
        if (!this.opened) {
            return 'closed';
        }
        return this.probing ? 'half-open' : 'open';
    }

    /** When the next request may go while the circuit is open (ms on the breaker's clock); undefined while closed. */
    retryAt(): number | undefined {
        if (!this.opened) {
            return undefined;
        }
        // While a probe is out, the next chance is after it failed: at the earliest one cooldown from now.
        return this.probing ? Math.max(this.reopenAt, this.now() + this.cooldownMs) : this.reopenAt;
    }

    /** Whether a request could go now (closed, or open with the cooldown over and no probe out); changes nothing. */
    isAvailable(): boolean {
        return !this.opened || (!this.probing && this.now() >= this.reopenAt);
    }

    /**
     * Asks to send one request: true while closed; when open with the
     * cooldown over, true for exactly one caller (the probe) until it reports.
     */
    tryAcquire(): boolean {
        if (!this.opened) {
            return true;
        }
        if (this.probing || this.now() < this.reopenAt) {
            return false;
        }
        this.probing = true;
        return true;
    }

    /** A request went through: the circuit closes and the cooldown starts over. */
    succeeded(): void {
        this.failures = 0;
        this.opened = false;
        this.probing = false;
        this.cooldownMs = this.baseCooldownMs;
        this.lastFailure = undefined;
    }

    /** A request failed the way a down endpoint fails (refused, timed out, 5xx). */
    failed(reason: string): void {
        this.lastFailure = reason;
        if (this.opened) {
            if (this.probing) {
                // The probe failed: open again, for longer.
                this.probing = false;
                this.cooldownMs = Math.min(this.maxCooldownMs, Math.max(1, this.cooldownMs) * 2);
                this.reopenAt = this.now() + this.cooldownMs;
            }
            return;
        }
        this.failures++;
        if (this.failures >= this.failureThreshold) {
            this.opened = true;
            this.probing = false;
            this.reopenAt = this.now() + this.cooldownMs;
        }
    }

    /** A probe ended without saying anything of the endpoint (it was cancelled): another may go. */
    released(): void {
        this.probing = false;
    }
}
