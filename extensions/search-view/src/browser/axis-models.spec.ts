import { describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { AiModelStatus, AiService } from '@imageparser/archive-core/lib/common/ai-protocol';
import { AxisModels } from './axis-models';

const READY = { state: 'ready' } as const;

/** An AI service answering fixed statuses, standing in for the settings package's RPC proxy. */
function aiService(answer: () => AiModelStatus[]): AiService {
    return { models: async () => answer(), validate: async () => answer() };
}

function axisModels(service?: AiService): AxisModels {
    const container = new Container();
    if (service) {
        container.bind(AiService).toConstantValue(service);
    }
    container.bind(AxisModels).toSelf().inSingletonScope();
    return container.get(AxisModels);
}

describe('the models behind the search axes', () => {
    it('names the models serving Look and Meaning and the caption model, and the one still indexing', async () => {
        const models = axisModels(aiService(() => [
            { role: 'caption', provider: 'openai-compatible', model: 'qwen2.5-vl', state: 'none', health: { state: 'down', code: 'endpoint-down' } },
            { role: 'text', provider: 'transformers', model: 'multilingual-e5-small', state: 'loaded', health: READY, serving: 'multilingual-e5-small' },
            { role: 'visual', provider: 'transformers', model: 'siglip2-base', state: 'loading', health: READY, serving: 'clip-vit-b32' }
        ]));
        let changes = 0;
        models.onDidChange(() => changes++);
        expect(models.lines).toEqual([]);
        await models.refresh();
        expect(changes).toBe(1);
        expect(models.lines).toEqual([
            { role: 'visual', text: 'Look (V): clip-vit-b32 (indexing with siglip2-base; the current vectors serve until it is done)', problem: false },
            { role: 'text', text: 'Meaning (M): multilingual-e5-small', problem: false },
            { role: 'caption', text: 'Captions: qwen2.5-vl (not reachable)', problem: true }
        ]);
    });

    it('says when no model is configured, the built-in colour descriptor serving V', async () => {
        const models = axisModels(aiService(() => [
            { role: 'visual', provider: 'builtin', model: '', state: 'none', health: { state: 'not-configured' }, serving: 'builtin-colour-v1' },
            { role: 'text', provider: '', model: '', state: 'none', health: { state: 'not-configured' } }
        ]));
        await models.refresh();
        expect(models.lines.map(line => line.text)).toEqual(['Look (V): builtin-colour-v1', 'Meaning (M): no model configured']);
    });

    it('shows nothing, and does not fail, without an AI service or when it does not answer', async () => {
        const unbound = axisModels();
        await unbound.refresh();
        expect(unbound.lines).toEqual([]);
        let fail = false;
        const flaky = axisModels(aiService(() => {
            if (fail) {
                throw new Error('connection closed');
            }
            return [{ role: 'text', provider: 'llama-cpp', model: 'qwen3-embedding', state: 'loaded', health: READY, serving: 'qwen3-embedding' }];
        }));
        await flaky.refresh();
        fail = true;
        await flaky.refresh();
        // The last answer stays.
        expect(flaky.lines.map(line => line.text)).toEqual(['Meaning (M): qwen3-embedding']);
    });
});
