import * as path from 'path';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { AssetMediaService } from '@imageparser/archive-core/lib/node/media/asset-media-service';
import { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { PhasePipeline } from '@imageparser/archive-core/lib/node/jobs/phase-pipeline';
import { phasesOfRole } from '../../common/fleet-protocol';
import type { FleetOverview, FleetPhaseQueue, FleetWorker } from '../../common/fleet-service';
import { FleetPhases } from './fleet-phases';
import { WorkerRegistry } from './worker-registry';
import type { WorkerSession } from './worker-session';

export const FleetOverviews = Symbol('FleetOverviews');

/** What the fleet panel shows, read now: the workers from the registry (server clock), the phases' queues from the store. */
export interface FleetOverviews {
    overview(localWorker?: FleetOverview['localWorker']): Promise<FleetOverview>;
}

@injectable()
export class DefaultFleetOverviews implements FleetOverviews {

    @inject(WorkerRegistry)
    protected readonly registry: WorkerRegistry;

    @inject(FleetPhases)
    protected readonly phases: FleetPhases;

    @inject(PhasePipeline)
    protected readonly pipeline: PhasePipeline;

    @inject(JobQueue)
    protected readonly queue: JobQueue;

    @inject(AssetMediaService) @optional()
    protected readonly media: AssetMediaService | undefined;

    async overview(localWorker?: FleetOverview['localWorker']): Promise<FleetOverview> {
        const sessions = this.registry.sessions();
        const running = this.phases.running().map(phase => phase.phase);
        const progress = (await this.pipeline.progress()).filter(phase => running.includes(phase.phase));
        const phases = progress.map((phase): FleetPhaseQueue => ({
            phase: phase.phase, model: phase.model, queued: phase.queued, leased: phase.leased, done: phase.done, failed: phase.failed,
            ratePerMinute: phase.rate * 60,
            ...phase.oldestQueuedSeconds === undefined ? {} : { oldestPendingSeconds: phase.oldestQueuedSeconds },
            workers: sessions.filter(session => !session.lost && phasesOfRole(session.role, running).includes(phase.phase)).length
        }));
        return {
            workers: await Promise.all(sessions.map(async session => this.workerOf(session, await this.fileNameOf(session.currentJob?.assetId)))),
            phases,
            engine: this.engineName(),
            blocked: await this.registry.blocked(),
            ...localWorker ? { localWorker } : {}
        };
    }

    protected workerOf(session: WorkerSession, jobName: string | undefined): FleetWorker {
        return {
            sessionId: session.id, tokenId: session.tokenId, tokenLabel: session.tokenLabel, machine: session.machine,
            role: session.role, requestedRole: session.requestedRole, state: session.state,
            connection: session.lost ? 'lost' : 'connected',
            ...session.schedule ? { schedule: session.schedule } : {},
            ...session.resources ? { resources: session.resources } : {},
            throttle: session.resources?.throttle ?? 'normal',
            ...session.currentJob ? { currentJob: { ...session.currentJob, ...jobName ? { name: jobName } : {} } } : {},
            counters: session.counters,
            jobsPerMinute: this.registry.jobsPerMinute(session),
            lastHeartbeatAgeMs: Math.max(0, this.registry.now() - session.lastSeen),
            registeredAt: session.registeredAt,
            startedBy: session.startedBy,
            local: session.local
        };
    }

    /** The file name of the asset a worker works on, for the panel; undefined when it has no file now. */
    protected async fileNameOf(assetId: number | undefined): Promise<string | undefined> {
        if (assetId === undefined || !this.media) {
            return undefined;
        }
        const source = await this.media.sourceOf(assetId).catch(() => undefined);
        return source && path.basename(source.file);
    }

    /** `bullmq` when the bound queue is the Redis engine, `embedded` otherwise. */
    protected engineName(): string {
        return /bullmq|redis/i.test(this.queue.constructor?.name ?? '') ? 'bullmq' : 'embedded';
    }
}
