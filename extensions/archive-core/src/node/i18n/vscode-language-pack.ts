import * as fs from 'fs';
import * as path from 'path';

/**
 * Reads VS Code's translations as the `@codingame/monaco-vscode-language-pack-*`
 * packages ship them and turns them into the keys Theia looks up.
 *
 * Such a pack holds the translated messages as one array, numbered the way
 * the compiled VS Code sources of the `@codingame/monaco-vscode-*` packages
 * call them (`localize(1234, "English text")`). Theia finds a VS Code string
 * by its English text: `nls.localizeByDefault('Open Folder')` looks the text up
 * in `@theia/core`'s `nls.metadata.json` (module, key, English text) and asks
 * for the key `vscode/<module file name>/<key>`. Joining the two through the
 * module and the English text gives Theia's keys their translations.
 */

/** One numbered message of the compiled VS Code sources. */
export interface NumberedMessage {
    /** The module calling it, e.g. `vs/workbench/browser/actions/windowActions`. */
    readonly module: string;
    readonly english: string;
}

/** The shape of `@theia/core/src/common/i18n/nls.metadata.json`. */
export interface NlsMetadata {
    readonly keys: Readonly<Record<string, readonly (string | { readonly key: string })[]>>;
    readonly messages: Readonly<Record<string, readonly string[]>>;
}

/** What a conversion found: Theia's keys with their translation, and how many of Theia's VS Code messages got one. */
export interface TheiaTranslations {
    readonly translations: Record<string, string>;
    readonly messages: number;
    readonly translated: number;
}

/**
 * The translated messages of a language pack's `translations/main.i18n.json.js`
 * (an ES module exporting one array; unused numbers are `undefined`).
 */
export function readPackMessages(file: string): readonly (string | undefined)[] {
    const source = fs.readFileSync(file, 'utf8');
    const start = source.indexOf('[');
    const end = source.lastIndexOf(']');
    if (start < 0 || end < start) {
        throw new Error(`${file} does not hold a message array.`);
    }
    const json = source.slice(start, end + 1).replace(/^(\s*)undefined(,?)$/gm, '$1null$2');
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) {
        throw new Error(`${file} does not hold a message array.`);
    }
    return parsed.map(message => typeof message === 'string' ? message : undefined);
}

/** Every numbered `localize` / `localize2` call under the `vscode/src/` folders of the given packages. */
export function readNumberedMessages(packageFolders: readonly string[]): Map<number, NumberedMessage> {
    const numbered = new Map<number, NumberedMessage>();
    for (const folder of packageFolders) {
        const sources = path.join(folder, 'vscode', 'src');
        if (!fs.existsSync(sources)) {
            continue;
        }
        for (const entry of fs.readdirSync(sources, { withFileTypes: true, recursive: true })) {
            if (entry.isFile() && entry.name.endsWith('.js')) {
                const file = path.join(entry.parentPath, entry.name);
                const module = path.relative(sources, file).slice(0, -'.js'.length).split(path.sep).join('/');
                for (const [index, english] of localizeCalls(fs.readFileSync(file, 'utf8'))) {
                    numbered.set(index, { module, english });
                }
            }
        }
    }
    return numbered;
}

const LOCALIZE_CALL = /\blocalize2?\(\s*(\d+)\s*,\s*(["'])/g;

/** The number and the English text of each `localize(N, "text", …)` call in a compiled source. */
export function localizeCalls(source: string): [number, string][] {
    const calls: [number, string][] = [];
    for (const match of source.matchAll(LOCALIZE_CALL)) {
        const text = readStringLiteral(source, match.index + match[0].length - 1);
        if (text !== undefined) {
            calls.push([Number(match[1]), text]);
        }
    }
    return calls;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** The value of the JavaScript string literal whose opening quote is at `start`; undefined when it is not a plain literal. */
function readStringLiteral(source: string, start: number): string | undefined {
    const quote = source[start];
    let value = '';
    for (let at = start + 1; at < source.length; at++) {
        const char = source[at];
        if (char === quote) {
            return value;
        }
        if (char === '\n') {
            return undefined;
        }
        if (char !== '\\') {
            value += char;
            continue;
        }
        const next = source[++at];
        if (next === 'u' && source[at + 1] === '{') {
            const close = source.indexOf('}', at);
            value += String.fromCodePoint(parseInt(source.slice(at + 2, close), 16));
            at = close;
        } else if (next === 'u') {
            value += String.fromCharCode(parseInt(source.slice(at + 1, at + 5), 16));
            at += 4;
        } else if (next === 'x') {
            value += String.fromCharCode(parseInt(source.slice(at + 1, at + 3), 16));
            at += 2;
        } else if (next === '\n') {
            // A line continuation adds nothing.
        } else {
            value += ESCAPES[next] ?? next;
        }
    }
    return undefined;
}

/** A menu mnemonic as VS Code writes it: `&&` before the letter, or `(&&F)` / `(&F)` after a translated label. */
function withoutMnemonic(text: string): string {
    return text.replace(/\s*\(&&?[^)]\)/g, '').replace(/&&/g, '');
}

/**
 * Theia's VS Code keys with the pack's translation: a message gets the
 * translation of the pack's message with the same English text in the same
 * module, else of one with the same English text anywhere (Theia itself
 * finds keys by English text alone), else the `supplement`'s translation of
 * that English text (for the strings Theia shows that the pack's packages
 * do not number); a supplement key starting with `theia/` is one of Theia's
 * own keys, taken as it is. Mnemonics are dropped: Theia's menus do not use them.
 */
export function toTheiaTranslations(metadata: NlsMetadata, numbered: ReadonlyMap<number, NumberedMessage>,
    packMessages: readonly (string | undefined)[], supplement: Readonly<Record<string, string>> = {}): TheiaTranslations {
    const byModule = new Map<string, string>();
    const byText = new Map<string, string>();
    for (const [index, { module, english }] of numbered) {
        const translation = packMessages[index];
        if (translation) {
            const text = withoutMnemonic(english);
            byModule.set(`${module}\n${text}`, withoutMnemonic(translation));
            if (!byText.has(text)) {
                byText.set(text, withoutMnemonic(translation));
            }
        }
    }
    const translations: Record<string, string> = {};
    let messages = 0;
    let translated = 0;
    for (const [module, moduleMessages] of Object.entries(metadata.messages)) {
        const keys = metadata.keys[module] ?? [];
        const fileName = module.slice(module.lastIndexOf('/') + 1);
        moduleMessages.forEach((english, index) => {
            const key = keys[index];
            if (key === undefined) {
                return;
            }
            messages++;
            const text = withoutMnemonic(english);
            const translation = byModule.get(`${module}\n${text}`) ?? byText.get(text) ?? supplement[text];
            if (translation) {
                translations[`vscode/${fileName}/${typeof key === 'string' ? key : key.key}`] = translation;
                translated++;
            }
        });
    }
    // Theia's own keys that its Korean file lacks are named as they are.
    for (const [key, translation] of Object.entries(supplement)) {
        if (key.startsWith('theia/')) {
            translations[key] = translation;
        }
    }
    return { translations, messages, translated };
}
