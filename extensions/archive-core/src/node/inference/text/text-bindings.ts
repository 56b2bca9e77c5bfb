import { interfaces } from '@theia/core/shared/inversify';
import { PhaseContribution } from '../../jobs/phase-contribution';
import { StoreTextDocumentSource, TextDocumentSource } from './text-document-source';
import { TextPhaseContribution } from './text-phase-contribution';

/**
 * The text phase (MV), bound as a {@link PhaseContribution}; it runs while a
 * text-embedding model is configured (`AiModels.text()`) and reads its
 * documents from the archive's store.
 */
export function bindTextPhase(bind: interfaces.Bind): void {
    bind(StoreTextDocumentSource).toSelf().inSingletonScope();
    bind(TextDocumentSource).toService(StoreTextDocumentSource);
    bind(TextPhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(TextPhaseContribution);
}
