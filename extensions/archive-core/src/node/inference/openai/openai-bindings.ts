import { interfaces } from '@theia/core/shared/inversify';
import { CaptionerProvider } from '../captioner';
import { OpenAiCaptionerProvider } from './openai-captioner-provider';

/**
 * The `openai-compatible` captioner family, bound as a {@link CaptionerProvider}
 * (the AI models service collects the providers and picks the one the
 * settings name). Retries and the circuit breaker take their defaults unless
 * `OpenAiCaptionerOptionsToken` is bound.
 */
export function bindOpenAiCaptioner(bind: interfaces.Bind): void {
    bind(OpenAiCaptionerProvider).toSelf().inSingletonScope();
    bind(CaptionerProvider).toService(OpenAiCaptionerProvider);
}
