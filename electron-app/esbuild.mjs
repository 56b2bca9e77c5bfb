/**
 * The ESBuild build of this app: Theia's generated options, with ImageParser's
 * native modules kept out of the backend bundle.
 */
import { browserOptions, watch } from './gen-esbuild.browser.mjs';
import { nodeOptions } from './gen-esbuild.node.mjs';
import { nativeExternals } from '../configs/native-externals.mjs';

import esbuild from 'esbuild';

const browserContext = await esbuild.context(browserOptions);
const nodeContext = await esbuild.context({
    ...nodeOptions,
    external: [...(nodeOptions.external ?? []), ...nativeExternals]
});

if (watch) {
    await Promise.all([
        browserContext.watch(),
        nodeContext.watch()
    ]);
} else {
    try {
        await browserContext.rebuild();
        await browserContext.dispose();
        await nodeContext.rebuild();
        await nodeContext.dispose();
    } catch {
        process.exit(1);
    }
}
