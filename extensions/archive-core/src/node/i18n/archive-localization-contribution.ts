import { injectable } from '@theia/core/shared/inversify';
import { LanguageInfo } from '@theia/core/lib/common/i18n/localization';
import { LocalizationContribution, LocalizationRegistry } from '@theia/core/lib/node/i18n/localization-contribution';

const KOREAN: LanguageInfo = { languageId: 'ko', languageName: 'Korean', localizedLanguageName: '한국어', languagePack: true };

/**
 * Registers the Korean strings: ImageParser's own (`locales/ko-KR.json`) and
 * VS Code's, which Theia's menus, dialogs and Settings ask for by their
 * `vscode/...` keys (converted at build time from the VS Code language pack by
 * `build-vscode-translations`; Theia's `theia/...` keys come with
 * `@theia/core`). Marked as a language pack so Korean is offered in
 * "Configure Display Language". English needs no registration: it is the
 * default text in code (`locales/en-US.json` mirrors it).
 */
@injectable()
export class ArchiveLocalizationContribution implements LocalizationContribution {
    async registerLocalizations(registry: LocalizationRegistry): Promise<void> {
        registry.registerLocalizationFromRequire(KOREAN, require('../../../../../locales/ko-KR.json'));
        registry.registerLocalization({
            ...KOREAN,
            // Loaded when Korean is asked for, not at every start.
            getTranslations: async () => require('../../../lib/i18n/vscode.ko.json')
        });
    }
}
