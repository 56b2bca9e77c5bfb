import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { DefaultPhasePipeline } from './default-phase-pipeline';
import { ParsePhaseContribution } from './parse-phase-contribution';
import { PhaseCommitter } from './phase-committer';
import { PhaseContribution } from './phase-contribution';
import { PhasePipeline } from './phase-pipeline';

/**
 * The phase point and its runner: the {@link PhaseContribution} provider,
 * parse registered through it like any phase, the committer every phase's
 * end goes through, and the pipeline that runs the phases with the backend
 * (or the command-line tool). The job queue is bound beside it.
 */
export function bindPhasePipeline(bind: interfaces.Bind): void {
    bindRootContributionProvider(bind, PhaseContribution);
    bind(ParsePhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(ParsePhaseContribution);
    bind(PhaseCommitter).toSelf().inSingletonScope();
    bind(DefaultPhasePipeline).toSelf().inSingletonScope();
    bind(PhasePipeline).toService(DefaultPhasePipeline);
}

/** Runs the pipeline with the backend: workers start with it and stop cleanly with it. */
export function bindPhasePipelineLifecycle(bind: interfaces.Bind): void {
    bind(BackendApplicationContribution).toService(DefaultPhasePipeline);
}
