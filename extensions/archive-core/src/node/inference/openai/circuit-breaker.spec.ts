import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker';

describe('the circuit breaker', () => {
    function breaker(): { breaker: CircuitBreaker; clock: { now: number } } {
        const clock = { now: 1_000 };
        return { breaker: new CircuitBreaker({ failureThreshold: 3, cooldownMs: 100, maxCooldownMs: 350, now: () => clock.now }), clock };
    }

    it('opens after N consecutive failures, not after failures a success broke up', () => {
        const { breaker: circuit } = breaker();
        circuit.failed('refused');
        circuit.failed('refused');
        circuit.succeeded();
        circuit.failed('refused');
        circuit.failed('refused');
        expect(circuit.state).toBe('closed');
        expect(circuit.tryAcquire()).toBe(true);
        circuit.failed('refused');
        expect(circuit.state).toBe('open');
        expect(circuit.tryAcquire()).toBe(false);
        expect(circuit.retryAt()).toBe(1_100);
        expect(circuit.lastFailure).toBe('refused');
    });

    it('lets one probe through after the cooldown, opens again for longer when it fails, and closes when one succeeds', () => {
        const { breaker: circuit, clock } = breaker();
        [1, 2, 3].forEach(() => circuit.failed('timeout'));
        clock.now = 1_100;
        expect(circuit.isAvailable()).toBe(true);
        expect(circuit.tryAcquire()).toBe(true);
        expect(circuit.state).toBe('half-open');
        expect(circuit.tryAcquire()).toBe(false);
        circuit.failed('timeout');
        expect(circuit.state).toBe('open');
        expect(circuit.retryAt()).toBe(1_300);
        clock.now = 1_300;
        expect(circuit.tryAcquire()).toBe(true);
        circuit.failed('timeout');
        expect(circuit.retryAt()).toBe(1_300 + 350);
        clock.now = 1_650;
        expect(circuit.tryAcquire()).toBe(true);
        circuit.succeeded();
        expect(circuit.state).toBe('closed');
        expect(circuit.retryAt()).toBeUndefined();
        // The cooldown starts over after it closed.
        [1, 2, 3].forEach(() => circuit.failed('timeout'));
        expect(circuit.retryAt()).toBe(1_750);
    });

    it('lets another probe go when the probe was cancelled', () => {
        const { breaker: circuit, clock } = breaker();
        [1, 2, 3].forEach(() => circuit.failed('refused'));
        clock.now = 2_000;
        expect(circuit.tryAcquire()).toBe(true);
        circuit.released();
        expect(circuit.tryAcquire()).toBe(true);
    });
});
