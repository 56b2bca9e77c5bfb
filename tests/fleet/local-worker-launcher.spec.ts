import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import { FleetApi, HeartbeatRequest, RegisterRequest } from '../../extensions/workers/src/common/fleet-protocol';
import type { LocalWorkerLauncher } from '../../extensions/workers/src/node/runtime/local-worker-launcher';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { ScriptedFleetServer } from './scripted-fleet-server';

// Compiled, as the backend runs them (one copy of each module in the test process).
const load = createRequire(__filename);
const launcherModule = load(path.resolve(__dirname, '../../extensions/workers/lib/node/runtime/child-process-worker-launcher')) as
    typeof import('../../extensions/workers/src/node/runtime/child-process-worker-launcher');
const aiSettingsModule = load(path.resolve(__dirname, '../../extensions/archive-core/lib/node/inference/ai-settings')) as
    typeof import('../../extensions/archive-core/src/node/inference/ai-settings');

/**
 * "Contribute This Machine as a Worker": the backend's launcher starts an
 * `imageparser worker` child that registers like any worker (started by
 * `app`), with the token in its environment (never in the process list),
 * the app's AI settings (its preferences) as its models, stdin ignored,
 * and stops it with its jobs given back.
 */
describe('ChildProcessWorkerLauncher', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-launcher-'));
    const modelFolder = path.join(folder, 'tiny-clip');
    let server: ScriptedFleetServer;

    beforeAll(async () => {
        writeTinyImageTextModel(modelFolder, 'clip');
        // The machine's settings: CPU and memory off the throttle on this shared test machine.
        fs.mkdirSync(path.join(folder, 'home', '.imageparser'), { recursive: true });
        fs.writeFileSync(path.join(folder, 'home', '.imageparser', 'user-settings.yaml'),
            'worker:\n  throttle:\n    warning: { cpuPercent: 100, memoryPercent: 100 }\n    danger: { cpuPercent: 100, memoryPercent: 100 }\n    critical: { cpuPercent: 100, memoryPercent: 100 }\n');
        let models: RegisterRequest['models'] = {};
        server = await ScriptedFleetServer.start(request => {
            if (request.path === FleetApi.REGISTER) {
                models = (request.body as RegisterRequest).models;
            }
            const phases = Object.entries(models).map(([phase, model]) => ({ phase, model }));
            if (request.path === FleetApi.REGISTER) {
                return { status: 200, body: { sessionId: 'app-1', role: 'visual', phases, heartbeatMs: 200, leaseMs: 30_000 } };
            }
            if (request.path === FleetApi.HEARTBEAT) {
                return { status: 200, body: { commands: [], role: 'visual', lostLeases: [], phases } };
            }
            return { status: 200, body: { jobs: [] } };
        });
    });

    afterAll(async () => {
        await server.close();
        fs.rmSync(folder, { recursive: true, force: true });
    });

    it('starts a worker that registers as the app\'s with the app\'s models, and stops it', async () => {
        const container = new Container();
        container.bind(ILogger).to(MockLogger).inSingletonScope();
        const emitter = new Emitter<never>();
        const settings: AiSettings = {
            caption: () => undefined, text: () => undefined, memoryBudgetBytes: () => 256 * 1024 * 1024, onDidChange: emitter.event,
            visual: () => ({ provider: 'transformers', modelPath: modelFolder })
        };
        container.bind(aiSettingsModule.AiSettings).toConstantValue(settings);
        launcherModule.bindLocalWorkerLauncher(container.bind.bind(container));
        const launcher = container.get<LocalWorkerLauncher>(launcherModule.ChildProcessWorkerLauncher);
        const home = process.env.HOME;
        process.env.HOME = path.join(folder, 'home');
        let pid: number;
        try {
            pid = (await launcher.start(server.url, 'ipw1-secret-token', 'visual')).pid;
        } finally {
            process.env.HOME = home;
        }
        expect(launcher.running()).toEqual({ role: 'visual', pid });
        await until(() => server.to(FleetApi.HEARTBEAT).length >= 2, 60_000, 'the contributed worker heartbeating');
        const register = server.to(FleetApi.REGISTER)[0];
        expect(register.headers.authorization).toBe('Bearer ipw1-secret-token');
        expect(register.body).toMatchObject({ startedBy: 'app', role: 'visual', models: { visual: expect.stringContaining('tiny-clip') } });
        // The token travels in the environment, not on the command line any user of the machine can list.
        expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain('ipw1-secret-token');
        expect((server.to(FleetApi.HEARTBEAT).at(-1)!.body as HeartbeatRequest).state).toBe('active');

        await launcher.stop();
        expect(launcher.running()).toBeUndefined();
        expect(() => process.kill(pid, 0)).toThrow();
    }, 90_000);
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}
