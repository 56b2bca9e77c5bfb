import { interfaces } from '@theia/core/shared/inversify';
import { nls, PreferenceContribution, PreferenceSchema, PreferenceScope } from '@theia/core';
import {
    BUILTIN_VISUAL_PROVIDER, CAPTION_API_KEY_PREFERENCE, CAPTION_CONCURRENCY_PREFERENCE, CAPTION_ENDPOINT_PREFERENCE, CAPTION_LANGUAGE_PREFERENCE,
    CAPTION_MODEL_PREFERENCE, CAPTION_PROVIDER_PREFERENCE, CAPTION_TIMEOUT_PREFERENCE, MODELS_MEMORY_BUDGET_PREFERENCE, TEXT_INCLUDE_OCR_PREFERENCE,
    TEXT_MODEL_PATH_PREFERENCE, TEXT_PROVIDER_PREFERENCE, VISUAL_MODEL_PATH_PREFERENCE, VISUAL_PROVIDER_PREFERENCE
} from './ai-preferences';

/** The built-in captioner family. */
export const OPENAI_COMPATIBLE_PROVIDER = 'openai-compatible';
/** The transformers.js family (ONNX folders), for images and texts. */
export const TRANSFORMERS_PROVIDER = 'transformers';
/** The node-llama-cpp family (GGUF files), for texts. */
export const LLAMA_CPP_PROVIDER = 'llama-cpp';
/** The text provider's value that turns M off. */
export const NO_TEXT_PROVIDER = 'none';

export const DEFAULT_CAPTION_TIMEOUT_SECONDS = 120;
export const DEFAULT_CAPTION_CONCURRENCY = 1;

export const AiPreferenceSchema: PreferenceSchema = {
    properties: {
        [CAPTION_PROVIDER_PREFERENCE]: {
            type: 'string',
            enum: [OPENAI_COMPATIBLE_PROVIDER],
            enumDescriptions: [
                nls.localize('imageparser/archive-core/preferences/captionProvider/openaiCompatible',
                    'Any `OpenAI`-compatible `chat-completions` endpoint that takes images: `Ollama`, `llama.cpp` server, `vLLM`, `LM Studio`.')
            ],
            default: OPENAI_COMPATIBLE_PROVIDER,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionProvider',
                'Which kind of service writes captions and AI tags. The IMAGEPARSER_CAPTION_PROVIDER environment variable overrides it.')
        },
        [CAPTION_ENDPOINT_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionEndpoint',
                'Base URL of the `chat-completions` endpoint that captions images, e.g. `http://127.0.0.1:11434/v1` for `Ollama`. Empty: no captions. Nothing is downloaded. The IMAGEPARSER_CAPTION_ENDPOINT environment variable overrides it.')
        },
        [CAPTION_MODEL_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionModel',
                'The model name the endpoint knows, e.g. `qwen2.5vl:7b`. The IMAGEPARSER_CAPTION_MODEL environment variable overrides it.')
        },
        [CAPTION_API_KEY_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionApiKey',
                'Sent as a `Bearer` token to the caption endpoint when set. The IMAGEPARSER_CAPTION_API_KEY environment variable overrides it.')
        },
        [CAPTION_LANGUAGE_PREFERENCE]: {
            type: 'string',
            enum: ['en', 'ko', 'both'],
            enumDescriptions: [
                nls.localize('imageparser/archive-core/preferences/captionLanguage/en', 'Captions in English.'),
                nls.localize('imageparser/archive-core/preferences/captionLanguage/ko', 'Captions in Korean.'),
                nls.localize('imageparser/archive-core/preferences/captionLanguage/both', 'One caption in English and one in Korean.')
            ],
            default: 'en',
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionLanguage',
                'The language captions are written in. Changing it captions the images again. The IMAGEPARSER_CAPTION_LANGUAGE environment variable overrides it.')
        },
        [CAPTION_TIMEOUT_PREFERENCE]: {
            type: 'number',
            default: DEFAULT_CAPTION_TIMEOUT_SECONDS,
            minimum: 1,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionTimeout',
                'Seconds one caption request may take before it is abandoned and tried again later.')
        },
        [CAPTION_CONCURRENCY_PREFERENCE]: {
            type: 'integer',
            default: DEFAULT_CAPTION_CONCURRENCY,
            minimum: 1,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/captionConcurrency',
                'Caption requests sent at once. Raise it only when the endpoint serves several requests in parallel.')
        },
        [VISUAL_PROVIDER_PREFERENCE]: {
            type: 'string',
            enum: [BUILTIN_VISUAL_PROVIDER, TRANSFORMERS_PROVIDER],
            enumDescriptions: [
                nls.localize('imageparser/archive-core/preferences/visualProvider/builtin',
                    'The built-in colour descriptor: no model needed, finds images that look alike in colour and layout.'),
                nls.localize('imageparser/archive-core/preferences/visualProvider/transformers',
                    'An image-text model (`CLIP`, `SigLIP`, `SigLIP2`) exported to `ONNX`, run from the folder below. Text queries also search the images.')
            ],
            default: BUILTIN_VISUAL_PROVIDER,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/visualProvider',
                'What the "looks like" (V) axis runs on. The IMAGEPARSER_VISUAL_PROVIDER environment variable overrides it.')
        },
        [VISUAL_MODEL_PATH_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/visualModelPath',
                'Absolute path of the image-text model folder (`onnx/vision_model.onnx`, `onnx/text_model.onnx`, `config.json`, `preprocessor_config.json`, `tokenizer.json`, `tokenizer_config.json`). The IMAGEPARSER_VISUAL_MODEL environment variable overrides it.')
        },
        [TEXT_PROVIDER_PREFERENCE]: {
            type: 'string',
            enum: [NO_TEXT_PROVIDER, TRANSFORMERS_PROVIDER, LLAMA_CPP_PROVIDER],
            enumDescriptions: [
                nls.localize('imageparser/archive-core/preferences/textProvider/none', 'No meaning search over captions (the M axis is off).'),
                nls.localize('imageparser/archive-core/preferences/textProvider/transformers',
                    'A sentence-embedding model exported to `ONNX` (`multilingual-e5`, `Qwen3-Embedding`), run from the folder below.'),
                nls.localize('imageparser/archive-core/preferences/textProvider/llamaCpp',
                    'A `GGUF` embedding model (`Qwen3-Embedding`, `multilingual-e5`), run by `llama.cpp` from the file below.')
            ],
            default: NO_TEXT_PROVIDER,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/textProvider',
                'What embeds captions for the "means" (M) axis. The IMAGEPARSER_TEXT_PROVIDER environment variable overrides it.')
        },
        [TEXT_MODEL_PATH_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/textModelPath',
                'Absolute path of the text-embedding model: an `ONNX` folder (`onnx/model.onnx`, `config.json`, `tokenizer.json`, `tokenizer_config.json`) or a `.gguf` file. The IMAGEPARSER_TEXT_MODEL environment variable overrides it.')
        },
        [TEXT_INCLUDE_OCR_PREFERENCE]: {
            type: 'boolean',
            default: false,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/textIncludeOcr',
                'Embed the text OCR read in the image together with the caption, so that the M axis finds it too.')
        },
        [MODELS_MEMORY_BUDGET_PREFERENCE]: {
            type: 'number',
            default: 0,
            minimum: 0,
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('imageparser/archive-core/preferences/modelsMemoryBudget',
                'Memory, in MiB, the AI models may hold together; idle models are unloaded to make room and a model that does not fit waits. 0: half of the machine\'s memory. The IMAGEPARSER_MODELS_MEMORY_MB environment variable overrides it.')
        }
    }
};

/** Binds the AI settings' schema; used by the frontend and the backend alike. */
export function bindAiPreferences(bind: interfaces.Bind): void {
    bind(PreferenceContribution).toConstantValue({ schema: AiPreferenceSchema });
}
