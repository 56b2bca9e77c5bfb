/**
 * The AI phases' contract for clients: captions and AI tags per asset, the
 * models that serve the V and M axes, and their health. The providers
 * themselves (`Captioner`, `ImageEmbedder`, `TextEmbedder`) live in
 * `node/inference`.
 */
import type { ModelState, ProviderHealth } from './job-protocol';

export const AI_SERVICE_PATH = '/services/imageparser/ai';

/** The three AI roles: caption (MC), visual (VV, the V axis), text (MV, the M axis). */
export type AiRole = 'caption' | 'visual' | 'text';

/** The languages captions are asked in. */
export type CaptionLanguageSetting = 'en' | 'ko' | 'both';
export type CaptionLanguage = 'en' | 'ko';

/** One caption of an asset, as stored. */
export interface AssetCaption {
    readonly language: CaptionLanguage;
    readonly text: string;
    /** The model that wrote it. */
    readonly model: string;
    /** ISO 8601. */
    readonly createdAt: string;
}

/**
 * An AI tag of an asset. `suggested`: the model proposed it and nobody
 * decided yet; `accepted`: a user made it a user tag; `rejected`: a user
 * turned it down (remembered: the same tag is never suggested again for the asset).
 */
export interface AiTag {
    readonly name: string;
    /** 0..1 when the model gave one. */
    readonly confidence?: number;
    readonly model: string;
    readonly state: 'suggested' | 'accepted' | 'rejected';
}

/** AI tags pending over a selection: one row per tag name, with how many of the assets it is suggested for. */
export interface AiTagSuggestion {
    readonly name: string;
    readonly assetCount: number;
    /** The highest confidence among those assets, when known. */
    readonly confidence?: number;
}

/** What the viewer shows of the AI phases for one asset. */
export interface AssetAiDetails {
    readonly captions: readonly AssetCaption[];
    readonly aiTags: readonly AiTag[];
    /** The text OCR read in the image, and the model that read it. */
    readonly ocr?: { readonly model: string; readonly text: string };
    /** The image-embedding model whose vector of this asset serves V, when it has one. */
    readonly visualModel?: string;
    /** The text-embedding model whose vector of this asset serves M, when it has one. */
    readonly meaningModel?: string;
}

/** One AI role's configured provider and model, and what serves search now. */
export interface AiModelStatus {
    readonly role: AiRole;
    /** The provider family's id (`openai-compatible`, `transformers`, `llama-cpp`, `builtin`), '' when none is configured. */
    readonly provider: string;
    /** The configured model's id (results are keyed by it), '' when none is configured. */
    readonly model: string;
    readonly state: ModelState;
    readonly health: ProviderHealth;
    /**
     * For visual and text: the model whose vectors answer searches now. It
     * stays the previous model until the configured one's index is complete
     * (the built-in colour descriptor's `builtin-colour-v1` for V without an image model).
     */
    readonly serving?: string;
}

export const AiService = Symbol('AiService');

/** The AI models' status, for the axis weights panel, the Phases view and Settings. */
export interface AiService {
    models(): Promise<AiModelStatus[]>;
    /** Checks the configured providers now (folders and files, endpoint reachable) and answers their status. */
    validate(): Promise<AiModelStatus[]>;
}
