import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { RemoteConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { bindArchiveServiceProxies } from './archive-service-proxies';
import { IngestProgressReporter } from './ingest/ingest-progress-reporter';

const extensions = path.resolve(__dirname, '../../..');
const commonFolder = path.resolve(__dirname, '../common');

/** Every RPC path archive-core's protocols declare (`X_SERVICE_PATH`), with the module that declares it. */
function servicePaths(): { constant: string; value: string; module: string }[] {
    return fs.readdirSync(commonFolder).filter(file => file.endsWith('.ts') && !file.endsWith('.spec.ts')).flatMap(file => {
        const module = path.join(commonFolder, file);
        return [...fs.readFileSync(module, 'utf8').matchAll(/export const (\w+_SERVICE_PATH) = '([^']+)'/g)]
            .map(([, constant, value]) => ({ constant, value, module }));
    });
}

function sourceFiles(folder: string): string[] {
    return fs.readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
        const file = path.join(folder, entry.name);
        return entry.isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(entry.name) ? [file] : [];
    });
}

/** archive-core binds the frontend's proxy of each of its RPC services, once; other packages only inject them. */
describe("archive-core's service proxies", () => {

    it('binds one proxy for every service path its protocols declare, made once however often it is injected', async () => {
        const paths = servicePaths();
        expect(paths.length).toBeGreaterThanOrEqual(8);
        const opened: string[] = [];
        const container = new Container();
        container.bind(RemoteConnectionProvider).toConstantValue({
            createProxy: (servicePath: string) => {
                opened.push(servicePath);
                return { servicePath };
            }
        });
        bindArchiveServiceProxies(container.bind.bind(container));
        // The progress reporter is the ingest proxy's client; its own dependencies (messages, commands) do not matter here.
        container.rebind(IngestProgressReporter).toConstantValue({} as IngestProgressReporter);

        for (const module of new Set(paths.map(each => each.module))) {
            const exported: Record<string, unknown> = await import(module);
            for (const symbol of Object.values(exported).filter((value): value is symbol => typeof value === 'symbol' && container.isBound(value))) {
                const proxy = container.get<{ servicePath: string }>(symbol);
                expect(container.get(symbol)).toBe(proxy);
                const declared = paths.filter(each => each.module === module).map(each => each.value);
                expect(declared, `${String(symbol)} is a proxy of a path of its own protocol`).toContain(proxy.servicePath);
            }
        }
        expect(opened.sort()).toEqual(paths.map(each => each.value).sort());
    });

    it('is the only place any package makes a proxy of them', () => {
        const paths = servicePaths();
        const proxies = path.join(__dirname, 'archive-service-proxies.ts');
        const makers = fs.readdirSync(extensions)
            .flatMap(extension => fs.existsSync(path.join(extensions, extension, 'src')) ? sourceFiles(path.join(extensions, extension, 'src')) : [])
            .filter(file => file !== proxies && !file.endsWith('.spec.ts'))
            .filter(file => {
                const text = fs.readFileSync(file, 'utf8');
                return /createProxy/.test(text) && paths.some(each => text.includes(each.constant) || text.includes(each.value));
            })
            .map(file => path.relative(extensions, file));
        expect(makers).toEqual([]);
    });
});
