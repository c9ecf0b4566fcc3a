export { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, WORKFLOW_ID_METADATA, workflowIdsOf } from './codec';
export { createTemporalClient, tandemDataConverter } from './client';
export type { TemporalClientHandle } from './client';
