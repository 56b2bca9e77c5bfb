import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindContributionProvider, bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { Message, MessageClient, MessageType } from '@theia/core/lib/common/message-service-protocol';
import { PreferenceScope, PreferenceService } from '@theia/core/lib/common/preferences';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AI_SERVICE_PATH, AiService } from '../../extensions/archive-core/src/common/ai-protocol';
import { VISUAL_MODEL_PATH_PREFERENCE, VISUAL_PROVIDER_PREFERENCE } from '../../extensions/archive-core/src/common/ai-preferences';
import { AiModelCommands, AiModelsContribution } from '../../extensions/archive-core/src/browser/ai-models-contribution';
import { AiModels } from '../../extensions/archive-core/src/node/inference/ai-models';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { AiSettingsEnv } from '../../extensions/archive-core/src/node/inference/preference-ai-settings';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';
import { bindAi } from './ai-test-container';
import { writeTestModel } from './ai-test-providers';

/** The notification area: keeps every message shown. */
class ShownMessages extends MessageClient {
    readonly shown: Message[] = [];

    override async showMessage(message: Message): Promise<string | undefined> {
        this.shown.push(message);
        return undefined;
    }
}

function displayLanguage(language: 'ko' | undefined): void {
    (nls as { locale: string | undefined }).locale = language;
    nls.localization = language
        ? { languageId: language, translations: JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../locales/ko-KR.json'), 'utf8')) }
        : undefined;
}

const ENV_NAMES = Object.values(AiSettingsEnv) as string[];

/**
 * The frontend's AI model feedback over a real backend (AI models, Theia's
 * preference service, the AI service over RPC): a notification naming an
 * invalid setting, once per problem, in the display language, and
 * "ImageParser: Check AI Models".
 */
describe('the AI model notifications and the Check AI Models command', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let backend: Container;
    let saved: Record<string, string | undefined>;

    beforeEach(() => {
        temp = makeTempFolder();
        saved = Object.fromEntries(ENV_NAMES.map(name => [name, process.env[name]]));
        ENV_NAMES.forEach(name => delete process.env[name]);
    });
    afterEach(async () => {
        displayLanguage(undefined);
        await backend.get<ModelManager>(ModelManager).dispose();
        temp.remove();
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    });

    async function frontend(): Promise<{ contribution: AiModelsContribution; commands: CommandRegistry; messages: ShownMessages; preferences: PreferenceService }> {
        backend = new Container();
        bindRootContributionProvider(backend, ConnectionContainerModule);
        bindAi(backend);
        const preferences = backend.get<PreferenceService>(PreferenceService);
        await preferences.ready;
        await backend.get<AiModels>(AiModels).refresh();

        const container = new Container();
        const messages = new ShownMessages();
        container.bind(MessageClient).toConstantValue(messages);
        container.bind(MessageService).toSelf().inSingletonScope();
        container.bind(ILogger).to(MockLogger);
        container.bind(PreferenceService).toConstantValue(preferences);
        container.bind(AiService).toConstantValue(connectTestFrontend(backend).proxy<AiService>(AI_SERVICE_PATH));
        bindContributionProvider(container, CommandContribution);
        container.bind(CommandRegistry).toSelf().inSingletonScope();
        container.bind(AiModelsContribution).toSelf().inSingletonScope();
        container.bind(CommandContribution).toService(AiModelsContribution);
        const commands = container.get(CommandRegistry);
        commands.onStart();
        return { contribution: container.get(AiModelsContribution), commands, messages, preferences };
    }

    it('names an invalid setting in a warning at start, in Korean too, and not again until it changes', async () => {
        displayLanguage('ko');
        const missing = path.join(temp.folder, 'siglip2');
        process.env[AiSettingsEnv.VISUAL_MODEL] = missing;
        const { contribution, messages, preferences } = await frontend();
        contribution.onStart();
        await expect.poll(() => messages.shown).toHaveLength(1);
        expect(messages.shown[0].type).toBe(MessageType.Warning);
        expect(messages.shown[0].text).toBe(`이미지 모델 (외형): 잘못된 설정. 모델 폴더가 없습니다. (The model folder ${missing} does not exist.)`);

        // The settings change (another AI preference): checked again after they settle, the same problem is not shown twice.
        delete process.env[AiSettingsEnv.VISUAL_MODEL];
        await preferences.set(VISUAL_PROVIDER_PREFERENCE, 'transformers', PreferenceScope.Session);
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, missing, PreferenceScope.Session);
        await new Promise(resolve => setTimeout(resolve, 2500));
        expect(messages.shown).toHaveLength(1);

        const empty = path.join(temp.folder, 'empty');
        fs.mkdirSync(empty);
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, empty, PreferenceScope.Session);
        await expect.poll(() => messages.shown, { timeout: 5000 }).toHaveLength(2);
        expect(messages.shown[1].text).toBe(`이미지 모델 (외형): 잘못된 설정. 모델 폴더에 모델에 필요한 파일이 없습니다. (The model folder ${empty} has no model.json.)`);
    });

    it('checks the models on demand and shows every role', async () => {
        process.env[AiSettingsEnv.TEXT_MODEL] = path.join(temp.folder, 'e5');
        const { commands, messages } = await frontend();
        const first = await commands.executeCommand(AiModelCommands.CHECK.id);
        expect((first as { health: { state: string } }[]).map(status => status.health.state)).toEqual(['not-configured', 'not-configured', 'invalid']);
        expect(messages.shown.slice(-3).map(message => [message.type, message.text])).toEqual([
            [MessageType.Info, 'Captions: off (not configured)'],
            [MessageType.Info, 'Image model (looks like): the built-in colour descriptor'],
            [MessageType.Warning, `Text model (means): invalid setting. The model folder does not exist. (The model folder ${path.join(temp.folder, 'e5')} does not exist.)`]
        ]);

        writeTestModel(path.join(temp.folder, 'e5'), 'e5-small', 1024);
        await commands.executeCommand(AiModelCommands.CHECK.id);
        expect(messages.shown.at(-1)).toMatchObject({ type: MessageType.Info, text: 'Text model (means): ready, transformers/e5-small' });
    });
});
