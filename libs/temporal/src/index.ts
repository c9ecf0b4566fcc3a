export {
  AesGcmPayloadCodec,
  CURRENT_FORMAT,
  ENCRYPTED_ENCODING,
  FORMAT_METADATA,
  KEY_ID_METADATA,
  NAMESPACE_METADATA,
  REFUSED_PAYLOAD_KEY,
  refusalOf,
  refusedPayload,
  WORKFLOW_ID_METADATA,
  workflowBindingsOf,
  workflowIdsOf,
} from './codec';
export type { PayloadBinding, PayloadCodecOptions, PayloadRefusal, PayloadRefusalReason } from './codec';
export { createTemporalClient, tandemDataConverter } from './client';
export type { TemporalClientHandle } from './client';
