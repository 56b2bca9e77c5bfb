import { nls } from '@theia/core/lib/common/nls';

/** The locale dates are written in: the display language Theia runs in (English when none was chosen). */
export function displayLocale(): string {
    return nls.locale || nls.defaultLocale;
}

/**
 * A date and time (ISO 8601) as the display language writes them, through
 * `Intl.DateTimeFormat` (Korean: year. month. day. 오후 hour:minute; English:
 * "Nov 30, 2026, 3:04 PM"). A value that is not a date is shown as it came.
 */
export function formatDateTime(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) {
        return iso;
    }
    return new Intl.DateTimeFormat(displayLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
