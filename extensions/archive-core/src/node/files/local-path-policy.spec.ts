import { describe, expect, it } from 'vitest';
import { isLoopbackHost, localPathsAllowed } from './local-path-policy';

describe('the local path rule', () => {
    it('tells loopback addresses from the others', () => {
        for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
            expect(isLoopbackHost(host), host).toBe(true);
        }
        for (const host of ['0.0.0.0', '::', '', '10.0.0.5', '192.168.1.20', '127.0.0.1.example.com', 'localhost.example.com', 'studio']) {
            expect(isLoopbackHost(host), host).toBe(false);
        }
    });

    it('allows the desktop app and a loopback backend, refuses any other, and lets the setting decide first', () => {
        expect(localPathsAllowed({ electron: true, hostname: '0.0.0.0', setting: undefined })).toBe(true);
        expect(localPathsAllowed({ electron: false, hostname: undefined, setting: undefined })).toBe(true);
        expect(localPathsAllowed({ electron: false, hostname: '127.0.0.1', setting: '' })).toBe(true);
        expect(localPathsAllowed({ electron: false, hostname: '0.0.0.0', setting: undefined })).toBe(false);
        expect(localPathsAllowed({ electron: false, hostname: 'archive.studio.example', setting: 'yes' })).toBe(false);
        expect(localPathsAllowed({ electron: true, hostname: 'localhost', setting: 'OFF' })).toBe(false);
        expect(localPathsAllowed({ electron: false, hostname: '0.0.0.0', setting: 'on' })).toBe(true);
    });
});
