import { interfaces } from '@theia/core/shared/inversify';
import { nls, PreferenceContribution, PreferenceSchema, PreferenceScope } from '@theia/core';

/** Minutes a model may sit unused in memory before it is unloaded. */
export const MODELS_IDLE_UNLOAD_PREFERENCE = 'imageparser.models.idleUnloadMinutes';
export const DEFAULT_IDLE_UNLOAD_MINUTES = 10;

/** Whether the OCR phase reads text in images (it runs only when Tesseract's Korean and English data are installed). */
export const OCR_ENABLED_PREFERENCE = 'imageparser.ocr.enabled';

export const InferencePreferenceSchema: PreferenceSchema = {
    properties: {
        [MODELS_IDLE_UNLOAD_PREFERENCE]: {
            type: 'number',
            default: DEFAULT_IDLE_UNLOAD_MINUTES,
            minimum: 0,
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/idleUnloadMinutes',
                'Minutes a model (OCR, and later captions and embeddings) stays in memory without work before it is unloaded. It loads again when work arrives.')
        },
        [OCR_ENABLED_PREFERENCE]: {
            type: 'boolean',
            default: true,
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/ocrEnabled',
                'Read Korean and English text inside images (OCR) so that it can be searched with ocr:. Runs only when the Tesseract language data (tesseract-ocr-kor, tesseract-ocr-eng) is installed.')
        }
    }
};

/** Binds the model and OCR preference schema; used by the frontend and the backend alike. */
export function bindInferencePreferences(bind: interfaces.Bind): void {
    bind(PreferenceContribution).toConstantValue({ schema: InferencePreferenceSchema });
}
