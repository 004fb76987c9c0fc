export * from './address.js';
export * from './gateway/tron-gateway.js';
export * from './keystore/keystore-cipher.js';
export * from './tron.module.js';
export * from './tx/signing.js';
export * from './tx/tx-intent.js';
export * from './tx/tx-verifier.js';
export * from './validation/is-tron-address.js';
