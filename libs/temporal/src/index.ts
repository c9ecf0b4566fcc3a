export { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './codec';
export { createTemporalClient, tandemDataConverter } from './client';
export type { TemporalClientHandle } from './client';
