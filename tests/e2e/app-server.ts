import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';

/** The project root: the nearest folder above this file holding the browser app (this file also runs compiled, from `bench/lib/`). */
function projectRoot(): string {
    for (let folder = __dirname; folder !== path.dirname(folder); folder = path.dirname(folder)) {
        if (fs.existsSync(path.join(folder, 'browser-app', 'package.json'))) {
            return folder;
        }
    }
    throw new Error(`No browser-app folder above ${__dirname}`);
}

const root = projectRoot();

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Where a running app answers, and how a test opens a page of it. */
export interface AppAddress {
    readonly url: string;
    /** A page of the app in a fresh browser context, once the welcome page shows; close it with `page.context().close()`. */
    openPage(browser: Browser): Promise<Page>;
}

/** A page of the app at `url` in a fresh browser context, once the welcome page shows. */
export async function openWelcomePage(browser: Browser, url: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url);
    await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
    return page;
}

/** The built browser app's backend, started as `npm start` starts it. */
export class AppServer implements AppAddress {
    protected constructor(protected readonly child: ChildProcess, readonly url: string, protected readonly output: string[],
        protected readonly env: NodeJS.ProcessEnv, protected readonly port: number) { }

    /**
     * Starts the backend on a free port, or on `port`. OCR is off unless `env`
     * says `IMAGEPARSER_OCR: 'on'`: most tests are not about it, and two
     * Tesseract threads per app reading every fixture slowed the others down.
     */
    static async start(env: NodeJS.ProcessEnv, port?: number): Promise<AppServer> {
        port ??= await freePort();
        const output: string[] = [];
        const child = spawn(process.execPath, [path.join(root, 'browser-app/lib/backend/main.js'), '--hostname', '127.0.0.1', '--port', String(port)], {
            cwd: path.join(root, 'browser-app'),
            env: { ...process.env, IMAGEPARSER_OCR: 'off', ...env },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        const server = new AppServer(child, `http://127.0.0.1:${port}`, output, env, port);
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`The app did not start in 60 s:\n${output.join('')}`)), 60_000);
            const collect = (chunk: Buffer) => {
                output.push(chunk.toString());
                if (output.join('').includes(`listening on ${server.url}`)) {
                    clearTimeout(timer);
                    resolve();
                }
            };
            child.stdout!.on('data', collect);
            child.stderr!.on('data', collect);
            child.once('exit', code => {
                clearTimeout(timer);
                reject(new Error(`The app exited with ${code}:\n${output.join('')}`));
            });
        });
        return server;
    }

    openPage(browser: Browser): Promise<Page> {
        return openWelcomePage(browser, this.url);
    }

    /** The backend's process id. */
    get pid(): number {
        return this.child.pid!;
    }

    get log(): string {
        return this.output.join('');
    }

    async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        const exited = new Promise(resolve => this.child.once('exit', resolve));
        this.child.kill(signal);
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
    }

    /** Stops the backend (`SIGKILL`: as if it crashed) and starts a new one on the same port, with the same environment. */
    async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<AppServer> {
        await this.stop(signal);
        return AppServer.start(this.env, this.port);
    }
}
