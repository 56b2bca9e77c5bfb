import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { AiService } from '../../common/ai-protocol';
import { bindAiPreferences } from '../../common/ai-preference-schema';
import { AiServiceImpl } from '../ai-service-impl';
import { AiModels } from './ai-models';
import { AiSettings } from './ai-settings';
import { CaptionerProvider } from './captioner';
import { DefaultAiModels } from './default-ai-models';
import { ImageEmbedderProvider } from './image-embedder';
import { PreferenceAiSettings } from './preference-ai-settings';
import { TextEmbedderProvider } from './text-embedder';

/**
 * The AI settings (preferences and environment variables), the three
 * provider points a package contributes a model family through
 * ({@link CaptionerProvider}, {@link ImageEmbedderProvider},
 * {@link TextEmbedderProvider}), the models the settings choose and the
 * {@link AiService} over them; for the backend, the command-line tool and tests alike.
 */
export function bindAiModels(bind: interfaces.Bind): void {
    bindAiPreferences(bind);
    bindRootContributionProvider(bind, CaptionerProvider);
    bindRootContributionProvider(bind, ImageEmbedderProvider);
    bindRootContributionProvider(bind, TextEmbedderProvider);
    bind(PreferenceAiSettings).toSelf().inSingletonScope();
    bind(AiSettings).toService(PreferenceAiSettings);
    bind(DefaultAiModels).toSelf().inSingletonScope();
    bind(AiModels).toService(DefaultAiModels);
    bind(AiServiceImpl).toSelf().inSingletonScope();
    bind(AiService).toService(AiServiceImpl);
}
