/**
 * Characters that must not reach a terminal, a log line or a message as they
 * are: control characters (a newline would split a CLI or log line, an
 * escape sequence would drive the terminal), DEL and the C1 controls, line
 * and paragraph separators, bidirectional overrides (text that reads
 * differently from what it is), byte order marks, and lone surrogates.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The text with every unprintable character escaped (`\n`, `\t`, `\x1b`,
 * `\u{202e}`...), so a file name or a library's message with raw bytes in it
 * prints on one line as what it is. Backslashes are kept as they are (paths
 * on Windows have them).
 */
export function printable(text: string): string {
    return text.replace(UNPRINTABLE, char => {
        const code = char.charCodeAt(0);
        return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
    });
}
