/**
 * A byte count in binary units, one decimal at most, in the given locale's
 * number format: 4294967296 → "4 GiB", 1536 → "1.5 KiB", 1000 → "1000 bytes".
 * Messages of the backend and the PSD reader are English (`en-US`); the frontend passes the
 * display language.
 */
export function formatBytes(bytes: number, locale = 'en-US'): string {
    const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toLocaleString(locale, { maximumFractionDigits: 1, useGrouping: false })} ${units[unit]}`;
}
