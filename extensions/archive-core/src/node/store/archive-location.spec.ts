import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PORTABLE_FOLDER_NAME, resolveArchiveLocation } from './archive-location';
import { makeTempFolder } from '../test/archive-test-container';

describe('resolveArchiveLocation', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let app: string;
    let home: string;

    beforeEach(() => {
        temp = makeTempFolder();
        app = path.join(temp.folder, 'app');
        home = path.join(temp.folder, 'home');
        fs.mkdirSync(app);
        fs.mkdirSync(home);
    });
    afterEach(() => temp.remove());

    it('defaults to .imageparser in the home folder', () => {
        expect(resolveArchiveLocation({ env: {}, appFolder: app, homeFolder: home }))
            .toEqual({ folder: path.join(home, '.imageparser'), source: 'default' });
    });

    it('uses portable mode when an imageparser-data folder sits next to the app', () => {
        fs.mkdirSync(path.join(app, PORTABLE_FOLDER_NAME));
        expect(resolveArchiveLocation({ env: {}, appFolder: app, homeFolder: home }))
            .toEqual({ folder: path.join(app, PORTABLE_FOLDER_NAME), source: 'portable' });
    });

    it('prefers the preference over portable mode, expanding ~ and relative paths', () => {
        fs.mkdirSync(path.join(app, PORTABLE_FOLDER_NAME));
        expect(resolveArchiveLocation({ env: {}, preference: '~/Art Archive', appFolder: app, homeFolder: home }))
            .toEqual({ folder: path.join(home, 'Art Archive'), source: 'preference' });
        expect(resolveArchiveLocation({ env: {}, preference: 'archives/team', appFolder: app, homeFolder: home }).folder)
            .toBe(path.join(app, 'archives', 'team'));
    });

    it('lets IMAGEPARSER_HOME override everything, and ignores blank values', () => {
        const external = path.join(temp.folder, '외장 드라이브', 'archive');
        expect(resolveArchiveLocation({ env: { IMAGEPARSER_HOME: external }, preference: '/elsewhere', appFolder: app, homeFolder: home }))
            .toEqual({ folder: external, source: 'environment' });
        expect(resolveArchiveLocation({ env: { IMAGEPARSER_HOME: '  ' }, preference: ' ', appFolder: app, homeFolder: home }).source)
            .toBe('default');
    });
});
