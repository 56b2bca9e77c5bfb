import { interfaces } from '@theia/core/shared/inversify';
import { PhaseContribution } from '../../jobs/phase-contribution';
import { CaptionPhaseContribution } from './caption-phase-contribution';

/**
 * The caption phase, bound as a {@link PhaseContribution} as any package's
 * phase is. It reads the captioner the `AiModels` service chooses, so
 * `AiModels`, `AiSettings` and `AiImageSource` must be bound beside it.
 */
export function bindCaptionPhase(bind: interfaces.Bind): void {
    bind(CaptionPhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(CaptionPhaseContribution);
}
