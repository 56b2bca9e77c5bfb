import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { BullmqJobQueue } from './bullmq/bullmq-job-queue';
import { DefaultPhasePipeline } from './default-phase-pipeline';
import { EmbeddedJobQueue } from './embedded-job-queue';
import { chooseJobEngine, JobEngineChoice } from './job-engine-choice';
import { JobQueue } from './job-queue';
import { ParsePhaseContribution } from './parse-phase-contribution';
import { PhaseCommitter } from './phase-committer';
import { PhaseContribution } from './phase-contribution';
import { PhasePipeline } from './phase-pipeline';
import { PhaseServiceImpl } from './phase-service-impl';

/**
 * The phase point and what runs it, for the backend, the command-line tool
 * and tests alike: the {@link PhaseContribution} provider with parse
 * registered through it like any phase, the job queue (the embedded engine
 * in the archive's file, or BullMQ on Redis when `imageparser.jobs.engine` /
 * `IMAGEPARSER_QUEUE_ENGINE` says `bullmq`; a bound {@link JobEngineChoice}
 * wins), the committer every phase's end goes through, the pipeline
 * (one for the process; its workers start and stop with the backend) and
 * the Phases view's RPC service (one per channel, over the pipeline).
 */
export function bindPhasePipeline(bind: interfaces.Bind): void {
    bindRootContributionProvider(bind, PhaseContribution);
    bind(ParsePhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(ParsePhaseContribution);
    bind(JobEngineChoice).toDynamicValue(ctx => chooseJobEngine(process.env,
        ctx.container.isBound(PreferenceService) ? ctx.container.get<PreferenceService>(PreferenceService) : undefined)).inSingletonScope();
    bind(EmbeddedJobQueue).toSelf().inSingletonScope();
    bind(BullmqJobQueue).toSelf().inSingletonScope();
    bind(JobQueue).toDynamicValue(ctx => ctx.container.get<JobEngineChoice>(JobEngineChoice).engine === 'bullmq'
        ? ctx.container.get(BullmqJobQueue) : ctx.container.get(EmbeddedJobQueue)).inSingletonScope();
    bind(PhaseCommitter).toDynamicValue(ctx => ctx.container.get<JobEngineChoice>(JobEngineChoice).engine === 'bullmq'
        ? ctx.container.get(BullmqJobQueue).committer : ctx.container.get(EmbeddedJobQueue).committer).inSingletonScope();
    bind(DefaultPhasePipeline).toSelf().inSingletonScope();
    bind(PhasePipeline).toService(DefaultPhasePipeline);
    bind(BackendApplicationContribution).toService(DefaultPhasePipeline);
    bind(BackendApplicationContribution).toService(BullmqJobQueue);
    bind(PhaseServiceImpl).toSelf();
}
