import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';

const root = path.resolve(__dirname, '../..');

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

/** The built browser app's backend, started as `npm start` starts it. */
export class AppServer {
    protected constructor(protected readonly child: ChildProcess, readonly url: string, protected readonly output: string[]) { }

    static async start(env: NodeJS.ProcessEnv): Promise<AppServer> {
        const port = await freePort();
        const output: string[] = [];
        const child = spawn(process.execPath, [path.join(root, 'browser-app/lib/backend/main.js'), '--hostname', '127.0.0.1', '--port', String(port)], {
            cwd: path.join(root, 'browser-app'),
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        const server = new AppServer(child, `http://127.0.0.1:${port}`, output);
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

    /** A page of the app in a fresh browser context, once the welcome page shows; close it with `page.context().close()`. */
    async openPage(browser: Browser): Promise<Page> {
        const page = await (await browser.newContext()).newPage();
        await page.goto(this.url);
        await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
        return page;
    }

    get log(): string {
        return this.output.join('');
    }

    async stop(): Promise<void> {
        if (this.child.exitCode !== null) {
            return;
        }
        const exited = new Promise(resolve => this.child.once('exit', resolve));
        this.child.kill('SIGTERM');
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
    }
}
