import { inject, injectable, optional } from '@theia/core/shared/inversify';
import type { ProviderHealth } from '../../../common/job-protocol';
import type { CaptionSettings } from '../ai-settings';
import { CaptionError, Captioner, CaptionerProvider } from '../captioner';
import { OPENAI_COMPATIBLE_PROVIDER, OpenAiCaptioner, OpenAiCaptionerOptions } from './openai-captioner';
import { endpointBase, endpointUrl, requestEndpoint } from './openai-http';

export const OpenAiCaptionerOptionsToken = Symbol('OpenAiCaptionerOptions');

/** The longest a validation waits for the endpoint, in ms. */
const VALIDATE_TIMEOUT_MS = 10_000;

/**
 * The `openai-compatible` captioner family: any chat-completions endpoint
 * that takes images. {@link validate} checks the URL and the model name,
 * then asks the endpoint for its models (`GET <endpoint>/models`): the codes
 * are `endpoint-invalid`, `model-missing` (invalid settings),
 * `endpoint-unauthorized` (a wrong API key), `endpoint-down` and
 * `endpoint-error` (it does not answer, or answers 5xx).
 */
@injectable()
export class OpenAiCaptionerProvider implements CaptionerProvider {

    readonly id = OPENAI_COMPATIBLE_PROVIDER;

    @inject(OpenAiCaptionerOptionsToken) @optional()
    protected readonly options: OpenAiCaptionerOptions | undefined;

    create(settings: CaptionSettings): Captioner {
        return new OpenAiCaptioner(settings, this.options);
    }

    async validate(settings: CaptionSettings): Promise<ProviderHealth> {
        let base: URL;
        try {
            base = endpointBase(settings.endpoint);
        } catch (error) {
            return { state: 'invalid', code: 'endpoint-invalid', message: error instanceof Error ? error.message : String(error) };
        }
        if (!settings.model.trim()) {
            return { state: 'invalid', code: 'model-missing', message: `No caption model is set for ${base.href}: name the model the endpoint serves (e.g. qwen2.5vl:7b)` };
        }
        const url = endpointUrl(base, 'models');
        try {
            const headers: Record<string, string> = { accept: 'application/json' };
            if (settings.apiKey?.trim()) {
                headers.authorization = `Bearer ${settings.apiKey.trim()}`;
            }
            const response = await requestEndpoint(url, { method: 'GET', headers }, Math.min(VALIDATE_TIMEOUT_MS, Math.max(1000, settings.timeoutMs)));
            if (response.status === 401 || response.status === 403) {
                return { state: 'invalid', code: 'endpoint-unauthorized', message: `The caption endpoint ${base.href} refused the API key (HTTP ${response.status})` };
            }
            if (response.status >= 500) {
                return { state: 'down', code: 'endpoint-error', message: `The caption endpoint ${url} answered HTTP ${response.status}` };
            }
            // 2xx, or a server without a model list (404): it answers, so it is there.
            return { state: 'ready', message: this.modelNote(response, settings.model.trim()) };
        } catch (error) {
            const reason = error instanceof CaptionError ? error.message : String(error);
            return { state: 'down', code: 'endpoint-down', message: reason };
        }
    }

    /** A note when the endpoint lists its models and the configured one is not among them (llama.cpp serves one model under any name). */
    protected modelNote(response: { status: number; text: string }, model: string): string | undefined {
        if (response.status !== 200) {
            return undefined;
        }
        try {
            const ids = ((JSON.parse(response.text) as { data?: { id?: unknown }[] }).data ?? []).map(entry => entry?.id).filter(id => typeof id === 'string');
            return ids.length && !ids.includes(model) ? `The endpoint lists ${ids.slice(0, 10).join(', ')}, not ${model}; it may still serve it` : undefined;
        } catch {
            return undefined;
        }
    }
}
