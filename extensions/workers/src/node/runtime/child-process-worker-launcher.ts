import { ChildProcess, spawn } from 'child_process';
import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { AiSettings } from '@imageparser/archive-core/lib/node/inference/ai-settings';
import { AiSettingsEnv } from '@imageparser/archive-core/lib/node/inference/preference-ai-settings';
import type { WorkerRole } from '../../common/fleet-protocol';
import { LocalWorkerLauncher } from './local-worker-launcher';

/** How long a stopping worker may take to give its jobs back before it is killed. */
const STOP_DEADLINE_MS = 15_000;

/** The environment variables the worker command reads (kept here so the launcher does not load the command's module). */
const TOKEN_ENV = 'IMAGEPARSER_WORKER_TOKEN';
const STARTED_BY_ENV = 'IMAGEPARSER_WORKER_STARTED_BY';

/**
 * Contributes this machine as a worker of its own server: runs
 * `imageparser worker` as a child process through the same command (and so
 * the same registration and heartbeats) as any worker machine. The token
 * goes through the environment (never the process list); stdin is ignored
 * (the worker never reads it); an IPC channel ties the child to this
 * process, so it stops when the backend exits or dies (and it also watches
 * this process's pid). It runs the models the app's AI settings name (passed
 * to it as the `IMAGEPARSER_*` variables the command reads). Its output goes
 * to this backend's log.
 */
@injectable()
export class ChildProcessWorkerLauncher implements LocalWorkerLauncher {

    @inject(ILogger) @named('workers:LocalWorkerLauncher')
    protected readonly logger: ILogger;

    /** The app's AI settings (its preferences), handed to the worker; the backend's environment alone without them. */
    @inject(AiSettings) @optional()
    protected readonly aiSettings?: AiSettings;

    protected child: { readonly process: ChildProcess; readonly role: WorkerRole; readonly exited: Promise<void> } | undefined;

    async start(serverUrl: string, token: string, role: WorkerRole): Promise<{ readonly pid: number }> {
        await this.stop();
        const cli = require.resolve('@imageparser/archive-core/lib/node/cli/imageparser');
        const child = spawn(process.execPath, [cli, 'worker', '--server', serverUrl, '--role', role], {
            stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
            env: { ...process.env, ...this.aiEnvironment(), [TOKEN_ENV]: token, [STARTED_BY_ENV]: 'app', ELECTRON_RUN_AS_NODE: '1' },
            windowsHide: true
        });
        const exited = new Promise<void>(resolve => child.once('exit', (code, signal) => {
            this.logger.info(`The contributed worker (pid ${child.pid}) exited with ${signal ?? code}`);
            if (this.child?.process === child) {
                this.child = undefined;
            }
            resolve();
        }));
        const log = (chunk: Buffer) => String(chunk).split('\n').filter(line => line.trim()).forEach(line => this.logger.info(`worker: ${line}`));
        child.stdout?.on('data', log);
        child.stderr?.on('data', log);
        await new Promise<void>((resolve, reject) => {
            child.once('spawn', resolve);
            child.once('error', reject);
        });
        this.child = { process: child, role, exited };
        return { pid: child.pid! };
    }

    async stop(): Promise<void> {
        const running = this.child;
        if (!running) {
            return;
        }
        running.process.kill('SIGTERM');
        const killer = setTimeout(() => running.process.kill('SIGKILL'), STOP_DEADLINE_MS);
        try {
            await running.exited;
        } finally {
            clearTimeout(killer);
        }
    }

    /** The app's AI settings as the variables the worker command reads (the settings already let the app's own variables win). */
    protected aiEnvironment(): Record<string, string> {
        const env: Record<string, string> = {};
        const caption = this.aiSettings?.caption();
        if (caption) {
            env[AiSettingsEnv.CAPTION_PROVIDER] = caption.provider;
            env[AiSettingsEnv.CAPTION_ENDPOINT] = caption.endpoint;
            env[AiSettingsEnv.CAPTION_MODEL] = caption.model;
            env[AiSettingsEnv.CAPTION_LANGUAGE] = caption.language;
            if (caption.apiKey) {
                env[AiSettingsEnv.CAPTION_API_KEY] = caption.apiKey;
            }
        }
        const visual = this.aiSettings?.visual();
        if (visual) {
            env[AiSettingsEnv.VISUAL_PROVIDER] = visual.provider;
            env[AiSettingsEnv.VISUAL_MODEL] = visual.modelPath;
        }
        const text = this.aiSettings?.text();
        if (text) {
            env[AiSettingsEnv.TEXT_PROVIDER] = text.provider;
            env[AiSettingsEnv.TEXT_MODEL] = text.modelPath;
        }
        if (this.aiSettings) {
            env[AiSettingsEnv.MODELS_MEMORY_MB] = String(Math.floor(this.aiSettings.memoryBudgetBytes() / (1024 * 1024)));
        }
        return env;
    }

    running(): { readonly role: WorkerRole; readonly pid: number } | undefined {
        return this.child && { role: this.child.role, pid: this.child.process.pid! };
    }
}

/** Binds {@link LocalWorkerLauncher} (the app's "Contribute This Machine as a Worker") to a child `imageparser worker`. */
export function bindLocalWorkerLauncher(bind: import('@theia/core/shared/inversify').interfaces.Bind): void {
    bind(ChildProcessWorkerLauncher).toSelf().inSingletonScope();
    bind(LocalWorkerLauncher).toService(ChildProcessWorkerLauncher);
}
