import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import type { PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { PhaseContribution } from '@imageparser/archive-core/lib/node/jobs/phase-contribution';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { SqlitePhaseStateRepository } from '@imageparser/archive-core/lib/node/store/phase-state-repository';

/** A phase the server hands to workers, and the model its results are keyed by. */
export interface FleetPhase {
    readonly phase: PhaseId;
    readonly model: string;
}

export const FleetPhases = Symbol('FleetPhases');

/**
 * The phases this server's queue holds work of for workers: the contributed
 * phases driven by the queue (parse is driven by the ingester), enabled now,
 * with their models, and how much work each has waiting.
 */
export interface FleetPhases {
    running(): FleetPhase[];
    /** Jobs queued or leased in the phase's queue. */
    backlog(phase: PhaseId): Promise<number>;
    /** Whether an admin paused the phase (kept in the store, honoured by every process). */
    isPaused(phase: PhaseId): Promise<boolean>;
}

@injectable()
export class DefaultFleetPhases implements FleetPhases {

    @inject(ContributionProvider) @named(PhaseContribution)
    protected readonly contributions: ContributionProvider<PhaseContribution>;

    @inject(JobQueue)
    protected readonly queue: JobQueue;

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    running(): FleetPhase[] {
        return this.contributions.getContributions()
            .filter(contribution => !contribution.driver && contribution.id !== 'parse' && contribution.isEnabled())
            .map(contribution => ({ phase: contribution.id, model: contribution.model?.id ?? '' }));
    }

    async backlog(phase: PhaseId): Promise<number> {
        const counts = await this.queue.counts(phase);
        return counts.queued + counts.leased;
    }

    async isPaused(phase: PhaseId): Promise<boolean> {
        const { database } = await this.store.open();
        return new SqlitePhaseStateRepository(database).isPaused(phase);
    }
}
