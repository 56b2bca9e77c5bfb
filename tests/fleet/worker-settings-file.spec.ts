import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORKER_SETTINGS, WORKER_SETTINGS_ENV } from '../../extensions/workers/src/common/worker-settings';
import { loadWorkerSettings, workerSettingsPath, WorkerSettingsError } from '../../extensions/workers/src/node/runtime/worker-settings-file';

const folders: string[] = [];

function settingsFile(text: string, name = 'user-settings.yaml'): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-settings-'));
    folders.push(folder);
    const file = path.join(folder, name);
    fs.writeFileSync(file, text, 'utf8');
    return file;
}

/** The error a file is refused with. */
async function refusal(text: string): Promise<WorkerSettingsError> {
    const file = settingsFile(text);
    const error = await loadWorkerSettings(file).then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(WorkerSettingsError);
    return error as WorkerSettingsError;
}

afterEach(() => {
    for (const folder of folders.splice(0)) {
        fs.rmSync(folder, { recursive: true, force: true });
    }
});

describe('user-settings.yaml', () => {
    it('reads a schedule and throttle, the rest from the defaults', async () => {
        const file = settingsFile([
            '# 스튜디오 야간 작업',
            'theme: dark',
            'worker:',
            '  schedule:',
            '    activeHours: "22:00-08:00"',
            '    activeDays: [Mon, tue, wed, thu, fri]',
            '    timezone: Asia/Seoul',
            '    idleUnloadMinutes: 15',
            '  throttle:',
            '    warning: { gpuTemperatureC: 80 }',
            '    warningBatchScale: 0.25',
            ''
        ].join('\n'));
        const loaded = await loadWorkerSettings(file);
        expect(loaded).toMatchObject({ file, found: true });
        expect(loaded.settings).toEqual({
            schedule: { activeHours: '22:00-08:00', activeDays: ['mon', 'tue', 'wed', 'thu', 'fri'], timezone: 'Asia/Seoul', idleUnloadMinutes: 15 },
            throttle: {
                ...DEFAULT_WORKER_SETTINGS.throttle,
                warning: { ...DEFAULT_WORKER_SETTINGS.throttle.warning, gpuTemperatureC: 80 },
                warningBatchScale: 0.25
            }
        });
    });

    it('keeps a left-out limit between the limits set around it', async () => {
        const file = settingsFile('worker:\n  throttle:\n    critical: { cpuPercent: 99, memoryPercent: 70 }\n    warning: { gpuTemperatureC: 92 }\n');
        const { throttle } = (await loadWorkerSettings(file)).settings;
        expect([throttle.warning.cpuPercent, throttle.danger.cpuPercent, throttle.critical.cpuPercent]).toEqual([99, 99, 99]);
        expect([throttle.warning.gpuTemperatureC, throttle.danger.gpuTemperatureC, throttle.critical.gpuTemperatureC]).toEqual([92, 92, 95]);
        expect([throttle.warning.memoryPercent, throttle.danger.memoryPercent, throttle.critical.memoryPercent]).toEqual([70, 70, 70]);
    });

    it('uses the defaults for an empty file or one without a worker section', async () => {
        expect((await loadWorkerSettings(settingsFile(''))).settings).toEqual(DEFAULT_WORKER_SETTINGS);
        expect((await loadWorkerSettings(settingsFile('\uFEFFeditor:\n  fontSize: 12\n'))).settings).toEqual(DEFAULT_WORKER_SETTINGS);
    });

    it('finds the file from the flag, then the environment, then the home folder; the default file may be absent', async () => {
        expect(workerSettingsPath('a.yaml', { [WORKER_SETTINGS_ENV]: '/etc/b.yaml' })).toEqual({ file: path.resolve('a.yaml'), explicit: true });
        expect(workerSettingsPath(undefined, { [WORKER_SETTINGS_ENV]: '/etc/b.yaml' })).toEqual({ file: '/etc/b.yaml', explicit: true });
        expect(workerSettingsPath(undefined, {})).toEqual({ file: path.join(os.homedir(), '.imageparser', 'user-settings.yaml'), explicit: false });
        const home = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-home-'));
        folders.push(home);
        const previous = process.env.HOME;
        process.env.HOME = home;
        try {
            expect(await loadWorkerSettings(undefined, {})).toEqual({ settings: DEFAULT_WORKER_SETTINGS, file: path.join(home, '.imageparser', 'user-settings.yaml'), found: false });
        } finally {
            process.env.HOME = previous;
        }
    });

    it('refuses a settings file named on the command line that does not exist', async () => {
        const missing = path.join(os.tmpdir(), 'no-such-folder-설정', 'user-settings.yaml');
        await expect(loadWorkerSettings(missing)).rejects.toThrow(`The worker settings file ${missing} does not exist.`);
    });

    it('names the line of a YAML syntax error', async () => {
        const error = await refusal('worker:\n  schedule:\n    activeHours: "22:00-08:00\n');
        expect(error.message).toMatch(/user-settings\.yaml, line \d: this is not valid YAML/);
    });

    it('names the line and the field of each value it cannot use', async () => {
        const cases: [string, number, string][] = [
            ['worker:\n  schedule:\n    activeHours: 22-8\n', 3, 'worker.schedule.activeHours must be hours like "22:00-08:00" whose start and end differ.'],
            ['worker:\n  schedule:\n    activeHours: "25:00-08:00"\n', 3, 'worker.schedule.activeHours must be hours'],
            ['worker:\n  schedule:\n    activeHours: "08:00-08:00"\n', 3, 'worker.schedule.activeHours must be hours'],
            ['worker:\n  schedule:\n    activeDays: [mon, funday]\n', 3, 'worker.schedule.activeDays must be a list of days among mon, tue, wed, thu, fri, sat, sun.'],
            ['worker:\n  schedule:\n    activeDays: mon\n', 3, 'worker.schedule.activeDays must be a list of days'],
            ['worker:\n  schedule:\n\n    timezone: Asia/Busan\n', 4, 'worker.schedule.timezone is not a known time zone (such as Asia/Seoul).'],
            ['worker:\n  schedule:\n    idleUnloadMinutes: -1\n', 3, 'worker.schedule.idleUnloadMinutes must be a number from 0 to 10080.'],
            ['worker:\n  schedule:\n    idleUnloadMinutes: "ten"\n', 3, 'worker.schedule.idleUnloadMinutes must be a number'],
            ['worker:\n  schedul:\n    activeHours: "22:00-08:00"\n', 2, 'worker.schedul is not a worker setting; worker can hold schedule, throttle.'],
            ['worker:\n  throttle:\n    warning:\n      gpuTemp: 80\n', 4, 'worker.throttle.warning.gpuTemp is not a worker setting'],
            ['worker:\n  throttle:\n    danger: { gpuMemoryPercent: 120 }\n', 3, 'worker.throttle.danger.gpuMemoryPercent must be a number from 0 to 100.'],
            ['worker:\n  throttle:\n    warningBatchScale: 0\n', 3, 'worker.throttle.warningBatchScale must be a number from 0.01 to 1.'],
            ['worker:\n  throttle:\n    warning: { gpuTemperatureC: 92 }\n    danger: { gpuTemperatureC: 88 }\n', 4, 'worker.throttle.warning.gpuTemperatureC (92) must not be above worker.throttle.danger.gpuTemperatureC (88).'],
            ['worker: 7\n', 1, 'worker must be a mapping of settings (name: value).'],
            ['worker:\n  schedule: [22, 8]\n', 2, 'worker.schedule must be a mapping of settings']
        ];
        for (const [text, line, message] of cases) {
            const error = await refusal(text);
            expect(error.message, text).toContain(`user-settings.yaml, line ${line}: ${message}`);
            expect(error.line, text).toBe(line);
        }
    });

    it('stops `imageparser worker` before it connects, naming the file, line and field', async () => {
        const file = settingsFile('worker:\n  schedule:\n    activeHours: "22:00-08:00"\n    timezone: Mars/Olympus\n', '설정 user-settings.yaml');
        const cli = path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js');
        const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(resolve => {
            const child = execFile(process.execPath, [cli, 'worker', '--server', 'http://127.0.0.1:9', '--token', 'bench-token', '--settings', file],
                { encoding: 'utf8', timeout: 20_000 }, (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }));
            child.stdin?.end();
        });
        expect(code).toBe(1);
        expect(stderr).toContain(`${file}, line 4: worker.schedule.timezone is not a known time zone (such as Asia/Seoul).`);
    });
});
