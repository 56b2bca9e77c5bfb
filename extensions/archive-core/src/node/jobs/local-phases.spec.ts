import { describe, expect, it } from 'vitest';
import { runsLocally } from './local-phases';

describe('runsLocally (IMAGEPARSER_LOCAL_PHASES)', () => {
    it('runs every phase by default and for all, none for none, and the listed ones for a list', () => {
        expect(['parse', 'caption', 'visual'].every(phase => runsLocally(phase, undefined))).toBe(true);
        expect(runsLocally('caption', ' ALL ')).toBe(true);
        expect(runsLocally('caption', 'none')).toBe(false);
        expect(runsLocally('text', 'ocr, text')).toBe(true);
        expect(runsLocally('caption', 'ocr, text')).toBe(false);
    });
});
