import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

describe('the Electron app', () => {
    it('is built: backend, Electron main process, preload and frontend', () => {
        for (const file of ['lib/backend/main.js', 'lib/backend/electron-main.js', 'lib/frontend/index.html', 'lib/frontend/preload.js']) {
            expect(fs.existsSync(path.join(root, 'electron-app', file)), file).toBe(true);
        }
        const backend = fs.readFileSync(path.join(root, 'electron-app/lib/backend/main.js'), 'utf8');
        expect(backend).toContain('require("better-sqlite3")');
    });

    it('says clearly why it cannot start when the Electron binary is missing, without a stack trace', () => {
        const electronDist = path.join(root, 'node_modules/electron/dist');
        expect(fs.existsSync(electronDist), 'this machine kind has no Electron binary').toBe(false);
        const run = spawnSync('bash', [path.join(root, 'scripts/start-electron.sh')], { encoding: 'utf8', timeout: 30_000 });
        expect(run.status).toBe(1);
        expect(run.stderr).toContain('the Electron binary is not installed');
        expect(run.stderr).toContain('npm start');
        expect(run.stderr).not.toMatch(/^\s+at /m);
    });
});
