/**
 * The AI settings' names. The schema (descriptions, defaults, enums) is in
 * `ai-preference-schema.ts`; the backend reads them through `AiSettings`
 * (node/inference/ai-settings.ts), which also takes environment variables
 * for the command-line tool.
 */

/** The captioner family's id: `openai-compatible` (a package may contribute others). */
export const CAPTION_PROVIDER_PREFERENCE = 'imageparser.caption.provider';
/** OpenAI-compatible chat-completions base URL taking images (e.g. `http://localhost:11434/v1`); '' turns captions off. */
export const CAPTION_ENDPOINT_PREFERENCE = 'imageparser.caption.endpoint';
/** The model name the endpoint knows (e.g. `qwen2.5vl:7b`). */
export const CAPTION_MODEL_PREFERENCE = 'imageparser.caption.model';
/** Sent as a Bearer token when set. */
export const CAPTION_API_KEY_PREFERENCE = 'imageparser.caption.apiKey';
/** `en`, `ko` or `both`. */
export const CAPTION_LANGUAGE_PREFERENCE = 'imageparser.caption.language';
/** Seconds one request may take before it is abandoned (and retried). */
export const CAPTION_TIMEOUT_PREFERENCE = 'imageparser.caption.timeoutSeconds';
/** Requests in flight at once. */
export const CAPTION_CONCURRENCY_PREFERENCE = 'imageparser.caption.concurrency';

/** `builtin` (the colour descriptor) or an image-embedder provider's id (`transformers`). */
export const VISUAL_PROVIDER_PREFERENCE = 'imageparser.visual.provider';
/** The image-text model's folder (CLIP / SigLIP exported to ONNX). */
export const VISUAL_MODEL_PATH_PREFERENCE = 'imageparser.visual.modelPath';

/** `none` or a text-embedder provider's id (`transformers` for an ONNX folder, `llama-cpp` for a GGUF file). */
export const TEXT_PROVIDER_PREFERENCE = 'imageparser.text.provider';
/** The text-embedding model's folder (ONNX) or `.gguf` file. */
export const TEXT_MODEL_PATH_PREFERENCE = 'imageparser.text.modelPath';
/** Whether OCR text is embedded with the caption for M. */
export const TEXT_INCLUDE_OCR_PREFERENCE = 'imageparser.text.includeOcr';

/** The memory models may hold together, in MB; 0 = from the machine's free memory. */
export const MODELS_MEMORY_BUDGET_PREFERENCE = 'imageparser.models.memoryBudgetMB';

/** The V axis's model id without an image-embedding model: the built-in colour descriptor. */
export const BUILTIN_VISUAL_PROVIDER = 'builtin';
