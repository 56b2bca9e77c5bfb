import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A fresh temporary folder; removed by the returned function. A module of
 * its own, so a test that needs only a folder (the end-to-end tests) does not
 * load the archive's whole backend with `archive-test-container`.
 */
export function makeTempFolder(prefix = 'imageparser-test-'): { folder: string; remove: () => void } {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    return { folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}
