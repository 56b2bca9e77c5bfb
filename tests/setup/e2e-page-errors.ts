// Every e2e test fails when a page of the app threw an uncaught error or left a promise rejection unhandled
// while it ran: browsers from launchChromium record them (tests/e2e/page-errors.ts).
import { afterEach } from 'vitest';
import { checkPageErrors } from '../e2e/page-errors';

afterEach(() => checkPageErrors());
