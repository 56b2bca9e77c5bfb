import { injectable } from '@theia/core/shared/inversify';
import { LabelProviderContribution } from '@theia/core/lib/browser/label-provider';
import { CompositeTreeNode } from '@theia/core/lib/browser/tree/tree';

/**
 * Names ImageParser's section of the Settings tree as the app is named. Theia
 * names a section after the first segment of its settings' ids, which would
 * make it "Imageparser"; its nodes are `<group>@<group>.imageparser`.
 */
@injectable()
export class ArchivePreferenceLabelContribution implements LabelProviderContribution {

    canHandle(element: object): number {
        // Above the Settings tree's own label provider (150).
        return CompositeTreeNode.is(element) && /@(\w+\.)?imageparser$/.test(element.id) ? 200 : 0;
    }

    getName(): string {
        return 'ImageParser';
    }
}
