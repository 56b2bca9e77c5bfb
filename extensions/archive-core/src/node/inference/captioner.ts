import type { CaptionLanguage } from '../../common/ai-protocol';
import type { ProviderHealth } from '../../common/job-protocol';
import type { AiImage } from './ai-image';
import type { CaptionSettings } from './ai-settings';

/** What the caption phase asks for one image. */
export interface CaptionRequest {
    readonly image: AiImage;
    /** The languages wanted, in order (`['en']`, `['ko']` or `['en', 'ko']`). */
    readonly languages: readonly CaptionLanguage[];
    readonly signal?: AbortSignal;
}

/** A model's answer, mapped to the stored fields (see caption-fields.ts: the one place that maps a model's keys). */
export interface CaptionAnswer {
    readonly captions: readonly { readonly language: CaptionLanguage; readonly text: string }[];
    /** Normalized (trimmed, case-folded where the script has case, deduplicated), at most a few dozen. */
    readonly tags: readonly { readonly name: string; readonly confidence?: number }[];
}

/**
 * Why a caption request failed. `retryable` errors (timeouts, HTTP 5xx, a
 * connection refused, an answer that could not be read) bring the job back;
 * `endpoint-down` means the circuit breaker is open: the job waits, it is
 * neither failed nor counted as an attempt.
 */
export class CaptionError extends Error {
    constructor(
        message: string,
        readonly code: 'timeout' | 'http-error' | 'malformed-answer' | 'endpoint-down' | 'refused' | 'cancelled',
        readonly retryable: boolean
    ) {
        super(message);
        this.name = 'CaptionError';
    }
}

/** A configured captioner: one model at one endpoint. */
export interface Captioner {
    /** The id results are keyed by (provider, endpoint host and model name). */
    readonly modelId: string;
    caption(request: CaptionRequest): Promise<CaptionAnswer>;
    /** `down` while the circuit breaker is open. */
    health(): ProviderHealth;
    dispose(): void;
}

export const CaptionerProvider = Symbol('CaptionerProvider');

/**
 * A captioner family (bound as a `CaptionerProvider`; archive-core collects
 * them with a root contribution provider). The settings' `provider` names it.
 */
export interface CaptionerProvider {
    readonly id: string;
    /** Checks the settings (a URL that parses, an endpoint that answers); never throws. */
    validate(settings: CaptionSettings): Promise<ProviderHealth>;
    create(settings: CaptionSettings): Captioner;
}
