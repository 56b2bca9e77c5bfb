export * from './phase-progress-text';
export * from './phase-failure-reasons';
