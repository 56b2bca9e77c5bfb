import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { BullmqJobQueue } from './bullmq/bullmq-job-queue';
import { DefaultPhasePipeline } from './default-phase-pipeline';
import { EmbeddedJobQueue } from './embedded-job-queue';
import { JobQueue } from './job-queue';
import { ParsePhaseContribution } from './parse-phase-contribution';
import { PhaseCommitter } from './phase-committer';
import { PhaseContribution } from './phase-contribution';
import { PhasePipeline } from './phase-pipeline';
import { PhaseServiceImpl } from './phase-service-impl';
import { SelectedJobQueue } from './selected-job-queue';

/**
 * The phase point and what runs it, for the backend, the command-line tool
 * and tests alike: the {@link PhaseContribution} provider with parse
 * registered through it like any phase, the job queue (the embedded engine
 * in the archive's file, or BullMQ on Redis when `IMAGEPARSER_QUEUE_ENGINE`
 * or the `imageparser.jobs.engine` preference says `bullmq`; a bound
 * `JobEngineChoice` wins: see {@link SelectedJobQueue}), the committer every phase's end goes through, the pipeline
 * (one for the process; its workers start and stop with the backend) and
 * the Phases view's RPC service (one per channel, over the pipeline).
 */
export function bindPhasePipeline(bind: interfaces.Bind): void {
    bindRootContributionProvider(bind, PhaseContribution);
    bind(ParsePhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(ParsePhaseContribution);
    bind(EmbeddedJobQueue).toSelf().inSingletonScope();
    bind(BullmqJobQueue).toSelf().inSingletonScope();
    bind(SelectedJobQueue).toSelf().inSingletonScope();
    bind(JobQueue).toService(SelectedJobQueue);
    bind(PhaseCommitter).toDynamicValue(ctx => ctx.container.get(SelectedJobQueue).committer).inSingletonScope();
    bind(DefaultPhasePipeline).toSelf().inSingletonScope();
    bind(PhasePipeline).toService(DefaultPhasePipeline);
    bind(BackendApplicationContribution).toService(DefaultPhasePipeline);
    bind(BackendApplicationContribution).toService(BullmqJobQueue);
    bind(PhaseServiceImpl).toSelf();
}
