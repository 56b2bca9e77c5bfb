import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ILogger } from '@theia/core/lib/common/logger';
import type { PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import { AiModels } from '@imageparser/archive-core/lib/node/inference/ai-models';
import type { ManagedModel } from '@imageparser/archive-core/lib/node/inference/model-manager';
import { PhaseContribution } from '@imageparser/archive-core/lib/node/jobs/phase-contribution';
import { PhaseWorker, PhaseWorkerHost } from '@imageparser/archive-core/lib/node/jobs/phase-worker';
import {
    HeartbeatRequest, HeartbeatResponse, phasesOfRole, RegisterResponse, WORKER_ROLES, WorkerCommand, WorkerCounters, WorkerMachine,
    WorkerRole
} from '../../common/fleet-protocol';
import type { WorkerSettings } from '../../common/worker-settings';
import { FleetConnection, isWorkerCommand, isWorkerRole, RegistrationRefusedError } from './fleet-connection';
import { FleetHttpClient } from './fleet-http-client';
import { GovernedJobQueue } from './governed-job-queue';
import { RemoteJobQueue } from './remote-job-queue';
import { ResourceMonitor, WorkerGovernor } from './worker-governor';
import { WorkerMachineProbe } from './worker-machine-probe';
import { WorkerModelManager } from './worker-model-manager';
import { WorkerTurns } from './worker-turns';

export const WorkerRuntimeOptions = Symbol('WorkerRuntimeOptions');

/** How a worker machine's runtime starts. */
export interface WorkerRuntimeOptions {
    /** The role asked for (`auto`: the server chooses). */
    readonly role: WorkerRole;
    readonly settings: WorkerSettings;
    /** `cli`, `app` or `test`. */
    readonly startedBy: string;
    /** How long a phase with nothing to do waits before it claims again (ms); 1 s by default. */
    readonly idleMs?: number;
}

/** Why the runtime ended. */
export type WorkerEnd =
    | { readonly kind: 'stopped'; readonly by: 'command' | 'signal' | 'parent' }
    | { readonly kind: 'refused'; readonly error: RegistrationRefusedError };

/** How long giving the held jobs back may take when the worker stops. */
const RELEASE_DEADLINE_MS = 5000;

/**
 * One worker machine: registers with the server, runs one archive-core
 * `PhaseWorker` per phase of its role over the remote job queue (so the
 * phases run exactly as in the archive's own process), keeps the role's
 * model resident between batches, and lets the {@link WorkerGovernor}
 * decide each turn (before each claim and each heartbeat) whether to claim,
 * how much, and when to unload. Commands from heartbeat answers: pause
 * (no new claims; jobs in hand finish), resume, stop and block (held jobs
 * are given back, then it ends), change-role (the old phases stop and their
 * models unload, the new ones start). The server's role re-balancing and
 * phase changes apply the same way. A phase whose model on this machine is
 * not the one the server runs is not claimed (its results would be keyed wrong).
 */
@injectable()
export class WorkerRuntime {

    @inject(ContributionProvider) @named(PhaseContribution)
    protected readonly contributions: ContributionProvider<PhaseContribution>;

    @inject(AiModels)
    protected readonly models: AiModels;

    @inject(WorkerModelManager)
    protected readonly manager: WorkerModelManager;

    @inject(FleetHttpClient)
    protected readonly http: FleetHttpClient;

    @inject(WorkerGovernor)
    protected readonly governor: WorkerGovernor;

    @inject(ResourceMonitor)
    protected readonly monitor: ResourceMonitor;

    @inject(WorkerMachineProbe)
    protected readonly probe: WorkerMachineProbe;

    @inject(WorkerRuntimeOptions)
    protected readonly options: WorkerRuntimeOptions;

    @inject(ILogger) @named('workers:WorkerRuntime')
    protected readonly logger: ILogger;

    protected queue: RemoteJobQueue;
    protected connection: FleetConnection;
    protected role: WorkerRole;
    protected phases: RegisterResponse['phases'] = [];
    protected readonly workers = new Map<PhaseId, PhaseWorker>();
    protected applying: Promise<void> = Promise.resolve();
    protected stopping = false;
    protected stopped: Promise<void> | undefined;
    /** Why the server refused this worker while it ran (its token revoked), when it did. */
    protected refusal: RegistrationRefusedError | undefined;
    protected machine: WorkerMachine;
    protected turns: WorkerTurns;
    protected endWith: (end: WorkerEnd) => void;
    /** Settles when the runtime has ended (stopped and its jobs given back, or refused by the server). */
    readonly ended: Promise<WorkerEnd> = new Promise(resolve => this.endWith = resolve);

    /** Registers and starts working; rejects with {@link RegistrationRefusedError} when the server refuses this worker. */
    async start(): Promise<RegisterResponse> {
        this.role = this.options.role;
        this.turns = new WorkerTurns(this.governor, this.monitor, this.manager, this.options.settings, {
            log: message => this.logger.info(message),
            claimAgain: () => this.workers.forEach(worker => worker.poke())
        });
        this.queue = new RemoteJobQueue(this.http, () => this.connection.registration?.leaseMs ?? 60_000);
        this.connection = new FleetConnection(this.http, () => this.registrationInfo(), () => this.report(), message => this.logger.warn(message));
        // The models' settings are checked before the first registration, so it says which models this machine runs.
        await this.models.refresh();
        this.machine = await this.probe.machine();
        const registration = await this.connection.register();
        this.connection.onDidRegister(answer => this.applyRole(answer.role, answer.phases));
        this.connection.onHeartbeat(answer => this.onHeartbeat(answer));
        this.connection.onRefused(error => {
            this.refusal = error;
            this.stop('command');
        });
        await this.applyRole(registration.role, registration.phases);
        this.connection.start();
        return registration;
    }

    /** Stops claiming, gives the held jobs back, unloads the models; settles when done. */
    stop(by: 'command' | 'signal' | 'parent' = 'signal'): Promise<void> {
        if (!this.stopped) {
            this.stopping = true;
            this.turns.stop();
            this.stopped = this.shutDown().then(() => this.endWith(this.refusal ? { kind: 'refused', error: this.refusal } : { kind: 'stopped', by }));
        }
        return this.stopped;
    }

    /** The role it works in now. */
    currentRole(): WorkerRole {
        return this.role;
    }

    /** The phases it claims now. */
    runningPhases(): PhaseId[] {
        return [...this.workers.keys()];
    }

    /** What the session's heartbeat reports as counters. */
    counters(): WorkerCounters {
        return { ...this.queue.counters(), ...this.manager.counts() };
    }

    protected async shutDown(): Promise<void> {
        await this.applying.catch(() => undefined);
        const workers = [...this.workers.values()];
        this.workers.clear();
        await Promise.all(workers.map(worker => worker.stop()));
        await withDeadline(this.queue.releaseAll(), RELEASE_DEADLINE_MS);
        // The server sees "stopping" with no leases left before the session goes quiet.
        await withDeadline(this.connection.heartbeatNow(), RELEASE_DEADLINE_MS);
        this.connection.close();
        await this.manager.dispose();
        const counters = this.counters();
        this.logger.info(`The worker stopped: ${counters.done} done, ${counters.failed} failed, ${counters.loads} model loads, ${counters.unloads} unloads`);
    }

    protected registrationInfo(): ReturnType<ConstructorParameters<typeof FleetConnection>[1]> {
        return {
            machine: this.machine,
            role: this.role,
            schedule: this.options.settings.schedule,
            models: this.localModels(),
            startedBy: this.options.startedBy
        };
    }

    /** The model id of each AI phase this machine can run now. */
    protected localModels(): Partial<Record<PhaseId, string>> {
        const models: Partial<Record<PhaseId, string>> = {};
        for (const contribution of this.contributions.getContributions()) {
            if (!contribution.driver && contribution.isEnabled() && (!contribution.model || contribution.model.isAvailable())) {
                models[contribution.id] = contribution.model?.id ?? '';
            }
        }
        return models;
    }

    protected async report(): Promise<Omit<HeartbeatRequest, 'sentAt'>> {
        if (!this.stopping) {
            await this.turns.turn();
        }
        return {
            state: this.turns.state, resources: this.turns.resources, counters: this.counters(), currentJob: this.queue.currentJob(),
            leaseTokens: this.queue.leaseTokens(), schedule: this.options.settings.schedule
        };
    }

    protected onHeartbeat(answer: HeartbeatResponse): void {
        this.queue.forget(answer.lostLeases);
        let role = isWorkerRole(answer.role, WORKER_ROLES) ? answer.role : this.role;
        for (const command of answer.commands) {
            if (!isWorkerCommand(command)) {
                this.logger.warn(`The server sent a command this worker does not know: ${JSON.stringify(command)}`);
                continue;
            }
            if (command.kind === 'change-role' && isWorkerRole(command.role, WORKER_ROLES)) {
                role = command.role;
            }
            this.command(command);
        }
        if (this.stopping) {
            return;
        }
        const phasesChanged = JSON.stringify(answer.phases) !== JSON.stringify(this.phases);
        if (role !== this.role || phasesChanged) {
            this.applyRole(role, answer.phases);
        }
        if (answer.commands.length) {
            // The server sees what the commands did at once, not a heartbeat later.
            this.connection.heartbeatNow();
        }
    }

    protected command(command: WorkerCommand): void {
        this.logger.info(`Command from the server: ${command.kind}${command.kind === 'change-role' ? ` ${command.role}` : ''}`);
        if (command.kind === 'pause' || command.kind === 'resume') {
            this.turns.setPaused(command.kind === 'pause');
            if (command.kind === 'resume') {
                this.workers.forEach(worker => worker.poke());
            }
        } else if (command.kind === 'stop' || command.kind === 'block') {
            this.stop('command');
        }
    }

    /** Runs the phases of `role` among those the server runs (one change at a time). */
    protected applyRole(role: WorkerRole, phases: RegisterResponse['phases']): Promise<void> {
        this.applying = this.applying.catch(() => undefined).then(() => this.doApplyRole(role, phases));
        return this.applying;
    }

    protected async doApplyRole(role: WorkerRole, phases: RegisterResponse['phases']): Promise<void> {
        if (this.stopping) {
            return;
        }
        if (role !== this.role) {
            this.logger.info(`The worker's role is ${role} now (was ${this.role})`);
        }
        this.role = role;
        this.phases = phases;
        const runnable = this.runnablePhases(role, phases);
        for (const [phase, worker] of [...this.workers]) {
            if (!runnable.has(phase)) {
                this.workers.delete(phase);
                await worker.stop();
                // The role no longer runs this phase: its model leaves memory now, not at an idle timeout.
                await this.modelOf(phase)?.unload();
            }
        }
        for (const [phase, contribution] of runnable) {
            if (!this.workers.has(phase) && !this.stopping) {
                this.workers.set(phase, new PhaseWorker(contribution, this.workerHost()));
            }
        }
    }

    /** The phases of the role this machine runs with the model the server runs them with. */
    protected runnablePhases(role: WorkerRole, phases: RegisterResponse['phases']): Map<PhaseId, PhaseContribution> {
        const runnable = new Map<PhaseId, PhaseContribution>();
        const contributions = this.contributions.getContributions();
        for (const phase of phasesOfRole(role, phases.map(each => each.phase))) {
            const contribution = contributions.find(each => each.id === phase && !each.driver);
            const serverModel = phases.find(each => each.phase === phase)?.model ?? '';
            const localModel = contribution?.model?.id ?? '';
            if (!contribution || !contribution.isEnabled()) {
                if (role !== 'all') {
                    this.logger.warn(`The ${phase} phase is not set up on this machine: its jobs are left to other workers`);
                }
            } else if (localModel !== serverModel) {
                this.logger.warn(`The server runs the ${phase} phase with ${serverModel || 'no model'}, this machine with ${localModel || 'none'}: `
                    + 'its jobs are left to other workers');
            } else {
                runnable.set(phase, contribution);
            }
        }
        return runnable;
    }

    protected modelOf(phase: PhaseId): ManagedModel<unknown> | undefined {
        return phase === 'visual' ? this.models.visual()?.managed : phase === 'text' ? this.models.text()?.managed : undefined;
    }

    protected workerHost(): PhaseWorkerHost {
        const runtime = this;
        const queue = new GovernedJobQueue(this.queue, this.turns);
        return {
            queue,
            get workerId(): string {
                return runtime.http.sessionId ?? 'worker';
            },
            get heartbeatMs(): number {
                return runtime.connection.registration?.heartbeatMs ?? 5000;
            },
            serverNow: async () => this.queue.serverNow(),
            idleMs: this.options.idleMs ?? 1000,
            // The server reuses stored results itself; a worker has no store to look in.
            storedResult: async () => undefined,
            // Pauses and throttling stop the claims (the gate); jobs in hand always finish.
            isPaused: () => false,
            configVersion: contribution => contribution.configVersion ?? '',
            worked: () => undefined,
            demandChanged: () => undefined,
            warn: message => this.logger.warn(message)
        };
    }
}

/** Waits for `promise` at most `ms`; its failure is ignored (the worker stops either way). */
function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
        promise.then(() => undefined, () => undefined),
        new Promise<void>(resolve => timer = setTimeout(resolve, ms))
    ]).finally(() => clearTimeout(timer));
}
