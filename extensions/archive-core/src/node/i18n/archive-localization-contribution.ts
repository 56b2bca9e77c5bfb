import { injectable } from '@theia/core/shared/inversify';
import { LocalizationContribution, LocalizationRegistry } from '@theia/core/lib/node/i18n/localization-contribution';

/**
 * Registers ImageParser's Korean strings. Marked as a language pack so Korean
 * is offered in "Configure Display Language" even without a VS Code language
 * pack, and Theia's own Korean strings are used alongside ours. English needs no
 * registration: it is the default text in code (`locales/en-US.json` mirrors it).
 */
@injectable()
export class ArchiveLocalizationContribution implements LocalizationContribution {
    async registerLocalizations(registry: LocalizationRegistry): Promise<void> {
        registry.registerLocalizationFromRequire(
            { languageId: 'ko', languageName: 'Korean', localizedLanguageName: '한국어', languagePack: true },
            require('../../../../../locales/ko-KR.json')
        );
    }
}
