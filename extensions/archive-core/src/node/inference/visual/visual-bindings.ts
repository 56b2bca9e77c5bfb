import { interfaces } from '@theia/core/shared/inversify';
import { PhaseContribution } from '../../jobs/phase-contribution';
import { VisualPhaseContribution } from './visual-phase-contribution';

/** The visual phase (VV), bound as a {@link PhaseContribution}; it runs while an image model is configured (`AiModels.visual()`). */
export function bindVisualPhase(bind: interfaces.Bind): void {
    bind(VisualPhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(VisualPhaseContribution);
}
