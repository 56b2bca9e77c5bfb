import { nls } from '@theia/core/lib/common/nls';
import type { AiModelStatus, AiRole } from '../common/ai-protocol';

/** The role's name as the user knows it. */
export function aiRoleLabel(role: AiRole): string {
    switch (role) {
        case 'caption': return nls.localize('imageparser/archive-core/ai/role/caption', 'Captions');
        case 'visual': return nls.localize('imageparser/archive-core/ai/role/visual', 'Image model (looks like)');
        case 'text': return nls.localize('imageparser/archive-core/ai/role/text', 'Text model (means)');
    }
}

/** What a provider's problem code means, in the user's language; the English details (with the path or URL) follow it. */
export function aiProblemText(code: string | undefined): string {
    switch (code) {
        case 'folder-missing': return nls.localize('imageparser/archive-core/ai/problem/folderMissing', 'The model folder does not exist.');
        case 'file-missing': return nls.localize('imageparser/archive-core/ai/problem/fileMissing', 'The model folder lacks a file the model needs.');
        case 'wrong-files': return nls.localize('imageparser/archive-core/ai/problem/wrongFiles', 'The model files are not of the kind this provider reads.');
        case 'endpoint-down': return nls.localize('imageparser/archive-core/ai/problem/endpointDown', 'The endpoint does not answer.');
        case 'invalid-url': return nls.localize('imageparser/archive-core/ai/problem/invalidUrl', 'The endpoint address is not a valid URL.');
        case 'unknown-provider': return nls.localize('imageparser/archive-core/ai/problem/unknownProvider', 'No installed provider has this name.');
        case 'model-path-missing': return nls.localize('imageparser/archive-core/ai/problem/modelPathMissing', 'No model folder or file is set.');
        case 'model-unreadable': return nls.localize('imageparser/archive-core/ai/problem/modelUnreadable', 'The model could not be read.');
        case 'model-too-large': return nls.localize('imageparser/archive-core/ai/problem/modelTooLarge', 'The model needs more memory than the models may hold together.');
        case 'checking': return nls.localize('imageparser/archive-core/ai/problem/checking', 'The settings are still being checked.');
        default: return nls.localize('imageparser/archive-core/ai/problem/unusable', 'The settings cannot be used.');
    }
}

/** One role's status in a sentence: "Image model (looks like): The model folder does not exist. (details)". */
export function describeAiModel(status: AiModelStatus): string {
    const role = aiRoleLabel(status.role);
    const details = status.health.message ? ` (${status.health.message})` : '';
    switch (status.health.state) {
        case 'ready':
            return nls.localize('imageparser/archive-core/ai/ready', '{0}: ready, {1}', role, status.model || status.provider);
        case 'not-configured':
            return status.role === 'visual'
                ? nls.localize('imageparser/archive-core/ai/builtinVisual', '{0}: the built-in colour descriptor', role)
                : nls.localize('imageparser/archive-core/ai/notConfigured', '{0}: off (not configured)', role);
        case 'down':
            return nls.localize('imageparser/archive-core/ai/down', '{0}: not reachable now, jobs wait. {1}', role, aiProblemText(status.health.code)) + details;
        case 'invalid':
            return nls.localize('imageparser/archive-core/ai/invalid', '{0}: invalid setting. {1}', role, aiProblemText(status.health.code)) + details;
    }
}
