import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';

/**
 * Asks for a name in the quick input: `prompt` says what is named, `value`
 * is the name to start from. Answers the name without surrounding spaces,
 * or undefined when the user cancelled. An empty name cannot be confirmed.
 */
export async function askName(quickInput: QuickInputService, prompt: string, value?: string): Promise<string | undefined> {
    const name = await quickInput.input({
        prompt,
        value,
        placeHolder: nls.localize('imageparser/collections/prompt/namePlaceholder', 'Name'),
        validateInput: async input => input.trim() ? undefined : nls.localize('imageparser/collections/prompt/nameEmpty', 'Enter a name.')
    });
    return name?.trim() || undefined;
}
