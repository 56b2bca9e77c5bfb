import type { LeaseRefusal } from '@imageparser/archive-core/lib/common/job-protocol';
import type { FleetApiError } from '../../common/fleet-protocol';

/**
 * A worker API call the server refuses: the HTTP status and the
 * {@link FleetApiError} body it answers with. Nothing changed on the server
 * when one is thrown.
 */
export class FleetApiRefusal extends Error {

    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
        this.name = 'FleetApiRefusal';
    }

    get body(): FleetApiError {
        return { code: this.code, message: this.message };
    }
}

export namespace FleetApiRefusal {
    export function badRequest(message: string): FleetApiRefusal {
        return new FleetApiRefusal(400, 'bad-request', message);
    }

    export function unknownSession(sessionId: string): FleetApiRefusal {
        return new FleetApiRefusal(410, 'unknown-session',
            `The server does not know the worker session ${JSON.stringify(sessionId)} (it restarted, or the session missed its heartbeats): register again.`);
    }

    export function foreignLease(): FleetApiRefusal {
        return new FleetApiRefusal(409, 'foreign-lease', 'This lease is held by another worker session.');
    }

    /**
     * The refusal for a queue's `LeaseRefusedError` (stale or unknown token:
     * 409), or undefined for any other error. Recognised by name too, so an
     * engine loaded from another copy of archive-core is understood.
     */
    export function ofLease(error: unknown): FleetApiRefusal | undefined {
        const refused = error as { name?: unknown; reason?: unknown; message?: unknown } | undefined;
        if (refused?.name !== 'LeaseRefusedError') {
            return undefined;
        }
        const reason: LeaseRefusal = refused.reason === 'unknown-lease' ? 'unknown-lease' : 'stale-lease';
        return new FleetApiRefusal(409, reason, String(refused.message ?? reason));
    }
}
