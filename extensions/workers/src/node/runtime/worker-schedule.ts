import type { WeekDay, WorkerSchedule } from '../../common/fleet-protocol';

export const WEEK_DAYS: readonly WeekDay[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Active hours as minutes of the day: `start` inclusive, `end` exclusive; `end < start` spans midnight. */
export interface ActiveHours {
    readonly start: number;
    readonly end: number;
}

/**
 * Reads `HH:MM-HH:MM` (24-hour clock; `24:00` allowed as an end). Undefined
 * when the text is not of that form or start and end are the same minute.
 */
export function parseActiveHours(text: string): ActiveHours | undefined {
    const match = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
    if (!match) {
        return undefined;
    }
    const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number);
    const start = startHour * 60 + startMinute;
    const end = endHour * 60 + endMinute;
    const valid = startHour < 24 && endHour <= 24 && startMinute < 60 && endMinute < 60 && end <= 24 * 60 && start !== end % (24 * 60);
    return valid ? { start, end } : undefined;
}

/** The weekday and minute of the day at `now` in a time zone (the machine's when undefined). */
export function localTime(now: number, timezone?: string): { readonly day: WeekDay; readonly minute: number } {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date(now));
    const part = (type: string) => parts.find(each => each.type === type)?.value ?? '';
    const day = part('weekday').toLowerCase().slice(0, 3) as WeekDay;
    return { day, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** Whether `timezone` is one `Intl` knows (an IANA name such as `Asia/Seoul`). */
export function isKnownTimeZone(timezone: string): boolean {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: timezone });
        return true;
    } catch {
        return false;
    }
}

/**
 * Whether a schedule lets the worker work at `now`. Hours across midnight
 * (`22:00-08:00`) belong to the day the span starts: with `activeDays: [fri]`
 * a worker is active Friday 22:00 to Saturday 08:00, not Friday 00:00-08:00.
 * Unreadable hours count as all day (the settings loader refuses them first).
 */
export function isWithinSchedule(schedule: WorkerSchedule, now: number): boolean {
    const { day, minute } = localTime(now, schedule.timezone);
    const dayAllowed = (each: WeekDay) => !schedule.activeDays || schedule.activeDays.includes(each);
    const hours = schedule.activeHours === undefined ? undefined : parseActiveHours(schedule.activeHours);
    if (!hours) {
        return dayAllowed(day);
    }
    if (hours.start < hours.end) {
        return dayAllowed(day) && minute >= hours.start && minute < hours.end;
    }
    if (minute >= hours.start) {
        return dayAllowed(day);
    }
    const yesterday = WEEK_DAYS[(WEEK_DAYS.indexOf(day) + 6) % 7];
    return minute < hours.end && dayAllowed(yesterday);
}
