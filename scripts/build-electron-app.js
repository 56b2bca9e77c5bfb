// Builds the Electron app with Theia's own application manager, as `theia build`
// does, minus one step: for the Electron target `theia build` first downloads the
// Electron binary (to swap its ffmpeg library) from outside the npm registry,
// which these machines cannot reach. Generation and bundling need no binary.
// Usage: node scripts/build-electron-app.js [development|production]
'use strict';
const path = require('path');
const { ApplicationPackageManager } = require('@theia/application-manager');

async function main() {
    const mode = process.argv[2] === 'production' ? 'production' : 'development';
    const manager = new ApplicationPackageManager({ projectPath: path.resolve(__dirname, '../electron-app'), appTarget: 'electron' });
    manager.prepare = async () => {
        console.log('build-electron-app: skipping the Electron binary download and ffmpeg swap (no binary on this machine)');
    };
    await manager.build(['--mode', mode], { mode });
}

main().catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
