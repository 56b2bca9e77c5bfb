import type { Event } from '@theia/core/lib/common/event';
import type { AiModelStatus, AiRole } from '../../common/ai-protocol';
import type { ProviderHealth } from '../../common/job-protocol';
import type { Captioner } from './captioner';
import type { ImageEmbedder } from './image-embedder';
import type { ManagedModel } from './model-manager';
import type { TextEmbedder } from './text-embedder';

/** A configured embedding model: known by id and size before it is loaded, loaded through the model manager when work comes. */
export interface ActiveModel<M> {
    readonly role: AiRole;
    /** The provider family's id. */
    readonly provider: string;
    readonly modelId: string;
    /** The memory it holds when loaded, in bytes. */
    readonly bytes: number;
    /** Loads on first use, stays resident while work flows, unloads when idle or when the budget needs room. */
    readonly managed: ManagedModel<M>;
    health(): ProviderHealth;
}

export const AiModels = Symbol('AiModels');

/**
 * The AI providers the current settings choose, for the caption, visual and
 * text phases and the V and M axes. Reads `AiSettings`, picks the provider
 * contribution the settings name, validates the folder or endpoint (a clear
 * message when it is wrong) and registers embedding models with the
 * `ModelManager`. A settings change fires `onDidChange`; the phases then see
 * the new model id and only that phase is queued again.
 */
export interface AiModels {
    /** undefined when captions are off or the settings are invalid (see {@link health}). */
    captioner(): Captioner | undefined;
    /** The configured image-text model; undefined when V runs on the built-in descriptor or the folder is invalid. */
    visual(): ActiveModel<ImageEmbedder> | undefined;
    /** The configured text-embedding model; undefined when M is off or the model is invalid. */
    text(): ActiveModel<TextEmbedder> | undefined;
    /** A role's health: `not-configured`, `invalid` with the reason, `down`, or `ready`. */
    health(role: AiRole): ProviderHealth;
    /** Every role's provider, model, state and health, and which model serves V and M now. */
    status(): Promise<AiModelStatus[]>;
    /** Re-reads the settings and validates them now (a folder that appeared, an endpoint that came back). */
    refresh(): Promise<void>;
    /** Fires with the role whose provider or model changed. */
    readonly onDidChange: Event<AiRole>;
}
