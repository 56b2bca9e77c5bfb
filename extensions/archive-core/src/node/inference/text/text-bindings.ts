import { interfaces } from '@theia/core/shared/inversify';
import { PhaseContribution } from '../../jobs/phase-contribution';
import { TextPhaseContribution } from './text-phase-contribution';

/** The text phase (MV), bound as a {@link PhaseContribution}; it runs while a text-embedding model is configured (`AiModels.text()`). */
export function bindTextPhase(bind: interfaces.Bind): void {
    bind(TextPhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(TextPhaseContribution);
}
