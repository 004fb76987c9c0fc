export * from './database.module.js';
export * from './idempotency/expires-bucket.js';
export * from './idempotency/idempotency-cleanup.job.js';
export * from './idempotency/idempotency.interceptor.js';
export * from './idempotency/idempotency.module.js';
export * from './idempotency/idempotency.store.js';
export * from './idempotency/request-hash.js';
