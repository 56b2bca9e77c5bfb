import { describe, expect, it } from 'vitest';
import { printable } from './printable-text';

describe('printable', () => {
    it('escapes what would split a line or drive a terminal, and keeps every printable character, Korean included', () => {
        expect(printable('sketch\nfinal.psd')).toBe('sketch\\nfinal.psd');
        expect(printable("Invalid signature: '\u0000\u0001\u0089\u00ff'")).toBe("Invalid signature: '\\x00\\x01\\x89\u00ff'");
        expect(printable('\u001b[31mred\u001b[0m\r\t')).toBe('\\x1b[31mred\\x1b[0m\\r\\t');
        expect(printable('invoice\u202egnp.exe')).toBe('invoice\\u{202e}gnp.exe');
        expect(printable('lone \ud800 surrogate, pair 😀')).toBe('lone \\u{d800} surrogate, pair 😀');
        expect(printable('캐릭터 배경 C:\\art\\hero.psd')).toBe('캐릭터 배경 C:\\art\\hero.psd');
    });
});
