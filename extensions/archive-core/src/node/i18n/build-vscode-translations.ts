import * as fs from 'fs';
import * as path from 'path';
import { NlsMetadata, readNumberedMessages, readPackMessages, toTheiaTranslations, TheiaTranslations } from './vscode-language-pack';

/** Where the build puts the converted translations of a language: `lib/i18n/vscode.<language>.json` of archive-core. */
export function vscodeTranslationsFile(language: string): string {
    return path.resolve(__dirname, '../../../lib/i18n', `vscode.${language}.json`);
}

/**
 * Converts the installed `@codingame/monaco-vscode-language-pack-<language>`
 * into Theia's VS Code keys, reading only installed packages. Strings Theia
 * shows that the pack cannot give come from `locales/theia-<language>.json`
 * (English text to translation, or a `theia/...` key its own translation
 * file lacks), when there is one.
 */
export function convertInstalledLanguagePack(language: string): TheiaTranslations {
    const pack = path.dirname(require.resolve(`@codingame/monaco-vscode-language-pack-${language}/package.json`));
    // The compiled VS Code sources that number the messages: the API and its service overrides, installed beside the pack.
    const scope = path.dirname(pack);
    const sources = fs.readdirSync(scope).filter(name => name.startsWith('monaco-vscode-')).map(name => path.join(scope, name));
    const metadata: NlsMetadata = JSON.parse(fs.readFileSync(require.resolve('@theia/core/src/common/i18n/nls.metadata.json'), 'utf8'));
    const supplementFile = path.resolve(__dirname, '../../../../../locales', `theia-${language}.json`);
    const supplement = fs.existsSync(supplementFile) ? JSON.parse(fs.readFileSync(supplementFile, 'utf8')) : {};
    return toTheiaTranslations(metadata, readNumberedMessages(sources), readPackMessages(path.join(pack, 'translations', 'main.i18n.json.js')), supplement);
}

/** The build step: `node lib/node/i18n/build-vscode-translations.js ko` writes `lib/i18n/vscode.ko.json`. */
function main(languages: string[]): void {
    for (const language of languages) {
        const result = convertInstalledLanguagePack(language);
        const file = vscodeTranslationsFile(language);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(result.translations));
        console.log(`VS Code's ${language} translations: ${result.translated} of Theia's ${result.messages} VS Code messages, in ${path.relative(process.cwd(), file)}`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2).length ? process.argv.slice(2) : ['ko']);
}
