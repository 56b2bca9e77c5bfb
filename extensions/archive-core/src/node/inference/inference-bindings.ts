import { interfaces } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { bindInferencePreferences } from '../../common/inference-preferences';
import { PhaseContribution } from '../jobs/phase-contribution';
import { bindAiModels } from './ai-bindings';
import { AiImageSource } from './ai-image';
import { bindCaptionPhase } from './caption/caption-bindings';
import { DefaultModelManager } from './default-model-manager';
import { bindLlamaCppProviders } from './llama-cpp/llama-cpp-bindings';
import { ModelManager } from './model-manager';
import { bindOpenAiCaptioner } from './openai/openai-bindings';
import { OcrEngine } from './ocr/ocr-engine';
import { OcrPhaseContribution } from './ocr/ocr-phase-contribution';
import { TesseractOcrEngine } from './ocr/tesseract-ocr-engine';
import { PreviewImageSource } from './preview-image-source';
import { bindTransformersProviders } from './transformers/transformers-bindings';
import { bindTextPhase } from './text/text-bindings';
import { bindVisualPhase } from './visual/visual-bindings';

/**
 * The model manager, the OCR engine and the OCR phase (bound as a
 * {@link PhaseContribution}, as any package's phase is), with their
 * preferences and the store of what OCR read (bound with the store). The
 * engine's threads stop with the backend; the command-line tool disposes
 * the engine itself when it closes.
 */
export function bindInference(bind: interfaces.Bind): void {
    bindInferencePreferences(bind);
    bind(DefaultModelManager).toSelf().inSingletonScope();
    bind(ModelManager).toService(DefaultModelManager);
    bind(TesseractOcrEngine).toSelf().inSingletonScope();
    bind(OcrEngine).toService(TesseractOcrEngine);
    bind(BackendApplicationContribution).toService(TesseractOcrEngine);
    bind(OcrPhaseContribution).toSelf().inSingletonScope();
    bind(PhaseContribution).toService(OcrPhaseContribution);
    bind(PreviewImageSource).toSelf().inSingletonScope();
    bind(AiImageSource).toService(PreviewImageSource);
    bindOpenAiCaptioner(bind);
    // The AI providers, models and phases (caption, visual, text) are bound below by their own bind functions.
    bindTransformersProviders(bind);
    bindLlamaCppProviders(bind);
    bindAiModels(bind);
    bindCaptionPhase(bind);
    bindVisualPhase(bind);
    bindTextPhase(bind);
}
