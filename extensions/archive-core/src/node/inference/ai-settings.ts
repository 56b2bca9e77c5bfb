import type { Event } from '@theia/core/lib/common/event';
import type { AiRole, CaptionLanguageSetting } from '../../common/ai-protocol';

/** The caption provider's settings, when an endpoint is set. */
export interface CaptionSettings {
    /** The provider family's id: `openai-compatible`. */
    readonly provider: string;
    /** Chat-completions base URL, e.g. `http://127.0.0.1:11434/v1` (the client appends `/chat/completions`). */
    readonly endpoint: string;
    readonly model: string;
    readonly apiKey?: string;
    readonly language: CaptionLanguageSetting;
    readonly timeoutMs: number;
    readonly concurrency: number;
}

/** An embedding provider's settings, when a model is set. */
export interface EmbedderSettings {
    /** The provider family's id (`transformers`, `llama-cpp`). */
    readonly provider: string;
    /** The model's folder or file, absolute. */
    readonly modelPath: string;
}

export interface TextEmbedderSettings extends EmbedderSettings {
    readonly includeOcr: boolean;
}

export const AiSettings = Symbol('AiSettings');

/**
 * The AI settings the backend runs with: the preferences in the app, and
 * environment variables for the command-line tool (`IMAGEPARSER_CAPTION_ENDPOINT`,
 * `IMAGEPARSER_CAPTION_MODEL`, `IMAGEPARSER_CAPTION_LANGUAGE`,
 * `IMAGEPARSER_VISUAL_PROVIDER`, `IMAGEPARSER_VISUAL_MODEL`,
 * `IMAGEPARSER_TEXT_PROVIDER`, `IMAGEPARSER_TEXT_MODEL`, which win over the preferences).
 */
export interface AiSettings {
    /** undefined when no endpoint is set (captions are off). */
    caption(): CaptionSettings | undefined;
    /** undefined when V runs on the built-in descriptor. */
    visual(): EmbedderSettings | undefined;
    /** undefined when no text-embedding model is set (M is off). */
    text(): TextEmbedderSettings | undefined;
    /** The memory models may hold together, in bytes. */
    memoryBudgetBytes(): number;
    /** Fires with the role whose settings changed. */
    readonly onDidChange: Event<AiRole>;
}
