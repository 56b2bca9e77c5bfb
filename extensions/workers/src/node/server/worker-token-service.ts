import * as crypto from 'crypto';
import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { WorkerTokenRecord, WorkerTokenRepository } from '@imageparser/archive-core/lib/node/store/worker-token-repository';
import { FleetApiRefusal } from './fleet-api-refusal';

/** The longest token label kept. */
const MAX_LABEL = 100;
const SECRET = /^ipw1\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

/** A token as issued: its record and the secret, shown once. */
export interface IssuedToken {
    readonly record: WorkerTokenRecord;
    readonly secret: string;
}

export const WorkerTokenService = Symbol('WorkerTokenService');

/**
 * Worker tokens: issued by an admin (the fleet panel, `imageparser token
 * issue`), presented by workers as `Authorization: Bearer <secret>`, revoked
 * at will. Only a SHA-256 hash of each secret is stored; a secret is
 * `ipw1.<id>.<32 random bytes>`, so guessing one is hopeless and a slow
 * hash would buy nothing.
 */
export interface WorkerTokenService {
    /** Fires when a token is issued or revoked. */
    readonly onDidChange: Event<void>;
    issue(label: string): Promise<IssuedToken>;
    list(): Promise<WorkerTokenRecord[]>;
    /** Revokes a token by id; throws for an unknown id. */
    revoke(id: string): Promise<void>;
    /** The token a bearer secret stands for; refuses (401) a missing, unknown or revoked one. */
    verify(secret: string | undefined): Promise<WorkerTokenRecord>;
}

@injectable()
export class DefaultWorkerTokenService implements WorkerTokenService {

    @inject(WorkerTokenRepository)
    protected readonly repository: WorkerTokenRepository;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    async issue(label: string): Promise<IssuedToken> {
        const clean = cleanLabel(label);
        const id = crypto.randomBytes(8).toString('hex');
        const secret = `ipw1.${id}.${crypto.randomBytes(32).toString('base64url')}`;
        const record: WorkerTokenRecord = { id, label: clean, createdAt: new Date().toISOString() };
        await this.repository.add(record, hashOf(secret));
        this.onDidChangeEmitter.fire();
        return { record, secret };
    }

    list(): Promise<WorkerTokenRecord[]> {
        return this.repository.list();
    }

    async revoke(id: string): Promise<void> {
        if (typeof id !== 'string' || !(await this.repository.revoke(id, new Date().toISOString()))) {
            throw new Error(`There is no worker token ${JSON.stringify(id)}.`);
        }
        this.onDidChangeEmitter.fire();
    }

    async verify(secret: string | undefined): Promise<WorkerTokenRecord> {
        if (!secret || !SECRET.test(secret)) {
            throw new FleetApiRefusal(401, 'unauthorized', 'A worker token is needed: send Authorization: Bearer <token> with a token an admin issued.');
        }
        const record = await this.repository.findByHash(hashOf(secret));
        if (!record) {
            throw new FleetApiRefusal(401, 'unauthorized', 'This worker token is not known to this archive.');
        }
        if (record.revokedAt) {
            throw new FleetApiRefusal(401, 'revoked', `This worker token (${record.label}) was revoked on ${record.revokedAt}.`);
        }
        return record;
    }
}

function hashOf(secret: string): string {
    return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A label as kept: control characters dropped, trimmed, at most {@link MAX_LABEL} characters; an empty one is refused. */
function cleanLabel(label: unknown): string {
    // eslint-disable-next-line no-control-regex
    const text = (typeof label === 'string' ? label : '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (!text) {
        throw new Error('A worker token needs a label that says whose machine it is for.');
    }
    return Array.from(text).slice(0, MAX_LABEL).join('');
}
