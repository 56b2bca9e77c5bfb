import { Emitter, Event } from '@theia/core/lib/common/event';
import {
    FleetApi, HeartbeatRequest, HeartbeatResponse, RegisterRequest, RegisterResponse, WorkerCommand, WorkerRole
} from '../../common/fleet-protocol';
import { FleetHttpClient, FleetRequestError, FleetUnreachableError } from './fleet-http-client';

/** What registering says about this worker, read again at each registration (the role may have changed by command). */
export type RegistrationInfo = Omit<RegisterRequest, 'protocol' | 'sentAt'>;

/** A registration the server refused for good (a revoked or unknown token, a blocked machine, another protocol). */
export class RegistrationRefusedError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
        this.name = 'RegistrationRefusedError';
    }
}

/** The longest wait between two registration tries while the server cannot be reached. */
const MAX_REGISTER_WAIT_MS = 10_000;

/**
 * A worker's session with its server: registers (again while the server
 * cannot be reached, and whenever the server no longer knows the session:
 * a 410 on any call), then heartbeats every `heartbeatMs` the server asked
 * for with what {@link report} answers (state, resources, counters, held
 * leases). Each heartbeat's answer is told as it comes: its commands in
 * order, the role and phases it gives, the leases it says are lost.
 * A revoked token or a blocked machine stops it for good
 * ({@link RegistrationRefusedError}).
 */
export class FleetConnection {

    protected readonly onDidRegisterEmitter = new Emitter<RegisterResponse>();
    /** Fires after every registration (the first, and each one after a 410). */
    readonly onDidRegister: Event<RegisterResponse> = this.onDidRegisterEmitter.event;
    protected readonly onHeartbeatEmitter = new Emitter<HeartbeatResponse>();
    /** Fires with each heartbeat's answer. */
    readonly onHeartbeat: Event<HeartbeatResponse> = this.onHeartbeatEmitter.event;
    protected readonly onRefusedEmitter = new Emitter<RegistrationRefusedError>();
    /** Fires when the server refuses this worker for good while it runs (token revoked, machine blocked). */
    readonly onRefused: Event<RegistrationRefusedError> = this.onRefusedEmitter.event;

    protected current: RegisterResponse | undefined;
    protected registering: Promise<RegisterResponse> | undefined;
    protected timer: NodeJS.Timeout | undefined;
    protected beating: Promise<void> | undefined;
    /** A heartbeat was asked for while one was under way: it goes out right after. */
    protected again = false;
    protected closed = false;

    constructor(
        protected readonly http: FleetHttpClient,
        protected readonly info: () => RegistrationInfo,
        protected readonly report: () => Promise<Omit<HeartbeatRequest, 'sentAt'>>,
        protected readonly warn: (message: string) => void
    ) {
        http.onUnknownSession = stale => this.reregister(stale);
    }

    /** The registration in force. */
    get registration(): RegisterResponse | undefined {
        return this.current;
    }

    /** Registers, trying again while the server cannot be reached; rejects with {@link RegistrationRefusedError} when it refuses. */
    register(): Promise<RegisterResponse> {
        if (!this.registering) {
            this.registering = this.doRegister().finally(() => this.registering = undefined);
        }
        return this.registering;
    }

    /** Starts heartbeating (after the first registration). */
    start(): void {
        this.schedule();
    }

    /** Sends a heartbeat now, or right after the one under way (after a command, so the server sees the new state at once). */
    heartbeatNow(): Promise<void> {
        if (this.beating) {
            this.again = true;
            return this.beating;
        }
        clearTimeout(this.timer);
        return this.beat();
    }

    /** Stops heartbeating; the server marks the session lost after its missed heartbeats. */
    close(): void {
        this.closed = true;
        clearTimeout(this.timer);
    }

    /** Registers again unless another call already replaced the stale session. */
    protected async reregister(staleSession: string): Promise<void> {
        if (this.registering) {
            await this.registering;
        } else if (this.http.sessionId === staleSession) {
            this.warn(`The server no longer knows session ${staleSession}: registering again`);
            await this.register();
        }
    }

    protected async doRegister(): Promise<RegisterResponse> {
        for (let attempt = 0; !this.closed; attempt++) {
            const request: RegisterRequest = { protocol: FleetApi.VERSION, ...this.info(), sentAt: Date.now() };
            try {
                this.http.sessionId = undefined;
                const answer = await this.http.post<RegisterResponse>(FleetApi.REGISTER, request);
                if (!answer || typeof answer.sessionId !== 'string') {
                    throw new FleetRequestError(200, 'bad-answer', 'The server answered the registration without a session');
                }
                this.http.sessionId = answer.sessionId;
                this.current = answer;
                this.onDidRegisterEmitter.fire(answer);
                return answer;
            } catch (error) {
                const transient = error instanceof FleetUnreachableError || (error instanceof FleetRequestError && error.transient);
                if (!transient) {
                    throw refusal(error);
                }
                const wait = Math.min(MAX_REGISTER_WAIT_MS, 250 * 2 ** attempt);
                this.warn(`${error instanceof Error ? error.message : String(error)}; registering again in ${Math.round(wait / 100) / 10} s`);
                await new Promise(resolve => setTimeout(resolve, wait));
            }
        }
        throw new Error('The worker stopped before it registered');
    }

    protected schedule(): void {
        if (this.closed) {
            return;
        }
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.beat(), this.current?.heartbeatMs ?? 5000);
    }

    /** One heartbeat (one at a time); a failure is logged and the next one comes at its time. */
    protected beat(): Promise<void> {
        if (!this.beating) {
            this.beating = this.doBeat().finally(() => {
                this.beating = undefined;
                if (this.again && !this.closed) {
                    this.again = false;
                    this.beat();
                } else {
                    this.schedule();
                }
            });
        }
        return this.beating;
    }

    protected async doBeat(): Promise<void> {
        if (this.closed) {
            return;
        }
        try {
            const request: HeartbeatRequest = { ...await this.report(), sentAt: Date.now() };
            const answer = await this.http.post<HeartbeatResponse>(FleetApi.HEARTBEAT, request);
            if (answer) {
                this.onHeartbeatEmitter.fire({
                    commands: Array.isArray(answer.commands) ? answer.commands : [],
                    role: answer.role, lostLeases: Array.isArray(answer.lostLeases) ? answer.lostLeases : [],
                    phases: Array.isArray(answer.phases) ? answer.phases : this.current?.phases ?? []
                });
            }
        } catch (error) {
            if (error instanceof RegistrationRefusedError || (error instanceof FleetRequestError && (error.status === 401 || error.status === 403))) {
                this.onRefusedEmitter.fire(refusal(error));
                return;
            }
            this.warn(`The heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
}

/** The commands' kinds a heartbeat may carry, for a worker that checks what it is told. */
export function isWorkerCommand(value: unknown): value is WorkerCommand {
    const kind = (value as { kind?: unknown } | null)?.kind;
    return kind === 'pause' || kind === 'resume' || kind === 'stop' || kind === 'block'
        || (kind === 'change-role' && typeof (value as { role?: unknown }).role === 'string');
}

export function isWorkerRole(value: unknown, roles: readonly WorkerRole[]): value is WorkerRole {
    return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

function refusal(error: unknown): RegistrationRefusedError {
    if (error instanceof RegistrationRefusedError) {
        return error;
    }
    if (error instanceof FleetRequestError) {
        return new RegistrationRefusedError(error.status, error.code, `The server refused this worker: ${error.message}`);
    }
    return new RegistrationRefusedError(0, 'internal', error instanceof Error ? error.message : String(error));
}
