import { nls } from '@theia/core/lib/common/nls';
import { formatDuration } from '@imageparser/archive-core/lib/common/duration-text';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import type { ModelState, PhaseId, PhaseProgress } from '@imageparser/archive-core/lib/common/job-protocol';

/**
 * How the Phases view and the status bar word a phase's progress, in the
 * display language. The protocol carries fractions 0..1; this is the only
 * place a percent is made, and it refuses anything that is not a fraction
 * (a percent sent by mistake shows as an error, not as "4200 %").
 */

/** The display language for `Intl`, as Theia's `nls` has it. */
export function displayLocale(): string {
    return nls.locale || nls.defaultLocale;
}

/**
 * A fraction 0..1 as a whole percent in the display language ("42%"),
 * rounded down so that 99.9 % done never reads as 100 %.
 * @throws RangeError for a value outside 0..1.
 */
export function formatPercent(fraction: number, locale = displayLocale()): string {
    if (!(fraction >= 0 && fraction <= 1)) {
        throw new RangeError(`A phase's progress is a fraction 0..1, not ${fraction}`);
    }
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(Math.floor(fraction * 100) / 100);
}

/** The whole percent of a fraction as a number, for a screen reader's words and a progress bar's value. */
export function wholePercent(fraction: number): number {
    formatPercent(fraction);
    return Math.floor(fraction * 100);
}

/** A count in the display language's digits ("1,234"). */
export function formatCount(count: number, locale = displayLocale()): string {
    return count.toLocaleString(locale);
}

/** Jobs per second as a rate a person reads: per second from 1 a second, else per minute. */
export function formatRate(perSecond: number, locale = displayLocale()): string {
    const number = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
    return perSecond >= 1
        ? nls.localize('imageparser/phases-view/rate/perSecond', '{0} per second', number(perSecond))
        : nls.localize('imageparser/phases-view/rate/perMinute', '{0} per minute', number(perSecond * 60));
}

/** A duration in seconds in the display language's short units ("2m 5s", "2분 5초"). */
export function formatSeconds(seconds: number, locale = displayLocale()): string {
    return formatDuration(seconds, locale);
}

/** A phase's name: the known phases in the display language, a contributed one by its id. */
export function phaseName(phase: PhaseId): string {
    switch (phase) {
        case 'parse': return nls.localize('imageparser/phases-view/phase/parse', 'Parse');
        case 'ocr': return nls.localize('imageparser/phases-view/phase/ocr', 'OCR');
        case 'visual': return nls.localize('imageparser/phases-view/phase/visual', 'Image embeddings');
        case 'text': return nls.localize('imageparser/phases-view/phase/text', 'Caption embeddings');
        default: return phase;
    }
}

/** What a phase does, in a line, for a user who meets it for the first time; '' for a phase the view does not know. */
export function phaseDescription(phase: PhaseId): string {
    switch (phase) {
        case 'parse': return nls.localize('imageparser/phases-view/phaseDescription/parse', 'Reads each file: its layers, metadata and thumbnail.');
        case 'ocr': return nls.localize('imageparser/phases-view/phaseDescription/ocr', 'Finds Korean and English text inside images and makes it searchable.');
        case 'visual': return nls.localize('imageparser/phases-view/phaseDescription/visual', 'Turns each image into a vector with the image model, so words and look-alikes find it.');
        case 'text': return nls.localize('imageparser/phases-view/phaseDescription/text', 'Turns each caption into a vector with the text model, so searches find images by meaning.');
        default: return '';
    }
}

/** A model's state in words (shown beside the word "Model"); '' for a phase without a model. */
export function modelStateText(state: ModelState): string {
    switch (state) {
        case 'loaded': return nls.localize('imageparser/phases-view/model/loaded', 'Loaded');
        case 'loading': return nls.localize('imageparser/phases-view/model/loading', 'Loading…');
        case 'unloaded': return nls.localize('imageparser/phases-view/model/unloaded', 'Not in memory (loads when needed)');
        case 'missing': return nls.localize('imageparser/phases-view/model/missing', 'Missing: its files are not installed');
        default: return '';
    }
}

/** How many assets a phase has still to do: queued and in progress. */
export function pendingCount(progress: PhaseProgress): number {
    return progress.queued + progress.leased;
}

/** Whether a phase has work it can get on with now: jobs waiting or in progress, not paused, not off, its model not missing. */
export function isWorking(progress: PhaseProgress): boolean {
    return pendingCount(progress) > 0 && progress.enabled && !progress.paused && progress.modelState !== 'missing';
}

/** "12 images left" in the display language, plural-aware. */
export function imagesLeftText(count: number, locale = displayLocale()): string {
    const shown = formatCount(count, locale);
    return plural(count,
        nls.localize('imageparser/phases-view/imagesLeft/one', '{0} image left', shown),
        nls.localize('imageparser/phases-view/imagesLeft/other', '{0} images left', shown));
}
