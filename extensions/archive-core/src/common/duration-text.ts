/**
 * A duration in whole seconds, in the given locale's short units
 * (`Intl.NumberFormat` unit style): the two largest units that are not zero,
 * e.g. 42 → "42s" / "42초", 125 → "2m 5s" / "2분 5초", 7260 → "2h 1m" /
 * "2시간 1분". Less than half a second reads as 0 seconds.
 */
export function formatDuration(seconds: number, locale = 'en-US'): string {
    const whole = Math.max(0, Math.round(seconds));
    const parts: [number, 'hour' | 'minute' | 'second'][] = [
        [Math.floor(whole / 3600), 'hour'],
        [Math.floor(whole / 60) % 60, 'minute'],
        [whole % 60, 'second']
    ];
    const first = parts.findIndex(([value]) => value > 0);
    const shown = first < 0 ? [parts[2]] : parts.slice(first, first + 2).filter(([value], index) => index === 0 || value > 0);
    return shown.map(([value, unit]) => unitFormat(locale, unit).format(value)).join(' ');
}

function unitFormat(locale: string, unit: 'hour' | 'minute' | 'second'): Intl.NumberFormat {
    try {
        return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' });
    } catch {
        return new Intl.NumberFormat('en-US', { style: 'unit', unit, unitDisplay: 'narrow' });
    }
}
