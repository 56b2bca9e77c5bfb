import { afterEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { nls } from '@theia/core/lib/common/nls';
import { LocalizationContribution, LocalizationRegistry } from '@theia/core/lib/node/i18n/localization-contribution';
import { LocalizationProvider } from '@theia/core/lib/node/i18n/localization-provider';
import { TheiaLocalizationContribution } from '@theia/core/lib/node/i18n/theia-localization-contribution';
import { ArchiveLocalizationContribution } from './archive-localization-contribution';
import { convertInstalledLanguagePack } from './build-vscode-translations';
import { localizeCalls } from './vscode-language-pack';

/** The Korean localization the backend hands the frontend, with Theia's and ImageParser's contributions registered as the app registers them. */
async function loadKorean(): Promise<{ provider: LocalizationProvider }> {
    const container = new Container();
    container.bind(LocalizationProvider).toSelf().inSingletonScope();
    container.bind(LocalizationRegistry).toSelf().inSingletonScope();
    bindContributionProvider(container, LocalizationContribution);
    container.bind(LocalizationContribution).to(TheiaLocalizationContribution).inSingletonScope();
    container.bind(LocalizationContribution).to(ArchiveLocalizationContribution).inSingletonScope();
    await container.get(LocalizationRegistry).initialize();
    return { provider: container.get(LocalizationProvider) };
}

describe('the Korean localization', () => {
    afterEach(() => {
        nls.localization = undefined;
    });

    it('is offered in "Configure Display Language" as 한국어', async () => {
        const { provider } = await loadKorean();
        expect(provider.getAvailableLanguages()).toContainEqual(expect.objectContaining({ languageId: 'ko', localizedLanguageName: '한국어', languagePack: true }));
    });

    it('translates Theia\'s own menus, dialogs and Settings (VS Code\'s strings, looked up by their English text as Theia does) and ImageParser\'s strings', async () => {
        const { provider } = await loadKorean();
        nls.localization = await provider.loadLocalization('ko');
        const theia: Record<string, string> = {
            File: '파일', Edit: '편집', View: '보기', Help: '도움말', Settings: '설정', Cancel: '취소', Open: '열기',
            'Open Folder': '폴더 열기', 'Command Palette...': '명령 팔레트...', 'Keyboard Shortcuts': '바로 가기 키', Explorer: '탐색기'
        };
        for (const [english, korean] of Object.entries(theia)) {
            expect(nls.localizeByDefault(english), english).toBe(korean);
        }
        // VS Code writes menu mnemonics as "(&&F)"; Theia's menus have none, so none may show.
        expect(Object.values(nls.localization.translations).filter(text => /&&|\(&.\)/.test(text))).toEqual([]);
        expect(nls.localize('imageparser/search-view/title', 'Image Search')).toBe('이미지 검색');
    });

    it('translates "Configure Display Language", the current language\'s mark and the restart dialog, which VS Code\'s pack lacks (locales/theia-ko.json)', async () => {
        const { provider } = await loadKorean();
        nls.localization = await provider.loadLocalization('ko');
        expect(nls.localizeByDefault('Configure Display Language')).toBe('표시 언어 구성');
        expect(nls.localizeByDefault('Current')).toBe('현재');
        expect(nls.localizeByDefault('Restart {0} to switch to {1}?', 'ImageParser', 'English')).toBe('ImageParser을(를) 다시 시작하여 English(으)로 전환할까요?');
        expect(nls.localizeByDefault('To change the display language to {0}, {1} needs to restart.', 'English', 'ImageParser'))
            .toBe('표시 언어를 English(으)로 변경하려면 ImageParser을(를) 다시 시작해야 합니다.');
        expect(nls.localizeByDefault('Restart')).toBe('다시 시작');
    });

    it('converts the installed language pack: a Korean text for a third or more of Theia\'s VS Code messages', () => {
        const { translated, messages, translations } = convertInstalledLanguagePack('ko');
        console.log(`VS Code messages with a Korean translation: ${translated} of ${messages}`);
        expect(translated / messages).toBeGreaterThan(0.3);
        const texts = Object.values(translations);
        expect(texts.filter(text => /[\uac00-\ud7a3]/.test(text)).length / texts.length).toBeGreaterThan(0.9);
    });

    it('reads the English text of numbered calls with their escapes', () => {
        expect(localizeCalls('a = localize(12, "Say \\"hi\\"\\n", x); b = localize2(13, \'It\\\'s {0}\'); c = localize(14, name);'))
            .toEqual([[12, 'Say "hi"\n'], [13, 'It\'s {0}']]);
    });
});
