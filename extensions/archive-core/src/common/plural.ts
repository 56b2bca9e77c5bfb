import { nls } from '@theia/core/lib/common/nls';

const rules = new Map<string, Intl.PluralRules>();

/**
 * Picks between a message's singular and plural forms by the display
 * language's plural rules (`Intl.PluralRules`): `one` where the language
 * says "one" of `count` (English: 1), `other` for every other count and in
 * languages without a singular form (Korean). Pass both forms already
 * localized, each through `nls.localize` with its own key (`…/one`,
 * `…/other`), so both reach the locale files.
 */
export function plural(count: number, one: string, other: string): string {
    const locale = nls.locale ?? 'en';
    let rule = rules.get(locale);
    if (!rule) {
        rule = new Intl.PluralRules(supported(locale));
        rules.set(locale, rule);
    }
    return rule.select(count) === 'one' ? one : other;
}

function supported(locale: string): string {
    try {
        return Intl.PluralRules.supportedLocalesOf(locale).length ? locale : 'en';
    } catch {
        return 'en';
    }
}
