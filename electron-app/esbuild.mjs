/**
 * The ESBuild build of this app: Theia's generated options, with ImageParser's
 * native modules kept out of the backend bundle.
 */
import { browserOptions, watch } from './gen-esbuild.browser.mjs';
import { nodeOptions } from './gen-esbuild.node.mjs';
import { electronOptions } from './gen-esbuild.electron.mjs';
import { nativeExternals } from '../configs/native-externals.mjs';

import esbuild from 'esbuild';

const contexts = [
    await esbuild.context(browserOptions),
    await esbuild.context({ ...nodeOptions, external: [...(nodeOptions.external ?? []), ...nativeExternals] }),
    await esbuild.context(electronOptions)
];

if (watch) {
    await Promise.all(contexts.map(context => context.watch()));
} else {
    try {
        for (const context of contexts) {
            await context.rebuild();
            await context.dispose();
        }
    } catch {
        process.exit(1);
    }
}
