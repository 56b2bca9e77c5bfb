export const AiServingModels = Symbol('AiServingModels');

/**
 * Which model's vectors answer searches on the V and M axes now, from the
 * axis serving logic (the previous model's until the configured one's index
 * is complete). Optional: without it, {@link AiModels.status} reports the
 * configured model as serving.
 */
export interface AiServingModels {
    /** The model id serving the axis now; undefined when none does (M without a text model). */
    serving(role: 'visual' | 'text'): Promise<string | undefined>;
}
