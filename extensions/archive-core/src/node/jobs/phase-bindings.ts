import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { DefaultPhasePipeline } from './default-phase-pipeline';
import { EmbeddedJobQueue } from './embedded-job-queue';
import { JobQueue } from './job-queue';
import { ParsePhaseContribution } from './parse-phase-contribution';
import { PhaseCommitter } from './phase-committer';
import { PhaseContribution } from './phase-contribution';
import { PhasePipeline } from './phase-pipeline';

/**
 * The phase point and what runs it, for the backend and the command-line
 * tool alike: the {@link PhaseContribution} provider with parse registered
 * through it like any phase, the embedded job queue in the archive's file,
 * the committer every phase's end goes through, and the pipeline.
 */
export function bindPhasePipeline(bind: interfaces.Bind): void {
    bindRootContributionProvider(bind, PhaseContribution);
    bind(ParsePhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(ParsePhaseContribution);
    bind(EmbeddedJobQueue).toSelf().inSingletonScope();
    bind(JobQueue).toService(EmbeddedJobQueue);
    bind(PhaseCommitter).toDynamicValue(ctx => ctx.container.get(EmbeddedJobQueue).committer).inSingletonScope();
    bind(DefaultPhasePipeline).toSelf().inSingletonScope();
    bind(PhasePipeline).toService(DefaultPhasePipeline);
}

/** Runs the pipeline with the backend: its workers start with it and stop cleanly with it. */
export function bindPhasePipelineLifecycle(bind: interfaces.Bind): void {
    bind(BackendApplicationContribution).toService(DefaultPhasePipeline);
}
