import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import {
    bindPreferenceConfigurations, DefaultsPreferenceProvider, PreferenceContribution, PreferenceLanguageOverrideService, PreferenceProvider,
    PreferenceProviderProvider, PreferenceSchemaService, PreferenceSchemaServiceImpl, PreferenceScope, PreferenceService, PreferenceServiceImpl,
    SessionPreferenceProvider, ValidPreferenceScopes
} from '@theia/core/lib/common/preferences';

/**
 * Theia's own preference service as the backend binds it, with the schema
 * defaults and an in-memory session scope a test sets values in
 * (`preferences.set(name, value, PreferenceScope.Session)`) instead of the user's settings file.
 */
export function bindTestPreferences(bind: interfaces.Bind): void {
    bindPreferenceConfigurations(bind);
    bind(ValidPreferenceScopes).toConstantValue([PreferenceScope.Default, PreferenceScope.Session]);
    bindRootContributionProvider(bind, PreferenceContribution);
    bind(PreferenceProviderProvider).toFactory(ctx => (scope: PreferenceScope) => ctx.container.getNamed(PreferenceProvider, scope));
    bind(PreferenceSchemaServiceImpl).toSelf().inSingletonScope();
    bind(PreferenceSchemaService).toService(PreferenceSchemaServiceImpl);
    bind(PreferenceProvider).to(DefaultsPreferenceProvider).inSingletonScope().whenTargetNamed(PreferenceScope.Default);
    bind(PreferenceProvider).to(SessionPreferenceProvider).inSingletonScope().whenTargetNamed(PreferenceScope.Session);
    bind(PreferenceLanguageOverrideService).toSelf().inSingletonScope();
    bind(PreferenceServiceImpl).toSelf().inSingletonScope();
    bind(PreferenceService).toService(PreferenceServiceImpl);
}
