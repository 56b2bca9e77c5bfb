/**
 * Whether a process with this id runs on this machine. One this process may
 * not signal (another user's) counts as running.
 */
export function isProcessAlive(pid: number): boolean {
    if (pid === process.pid) {
        return true;
    }
    if (!Number.isSafeInteger(pid) || pid <= 0) {
        return false;
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}
