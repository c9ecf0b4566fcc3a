import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { TandemConfig } from '@tandem/config';
import type { PayloadCodecOptions } from './codec';
import { AesGcmPayloadCodec } from './codec';

/**
 * The one data converter every Tandem client and worker uses: default JSON, then encryption. The
 * worker passes `undecodable: 'mark'` and an `onRefused` log (see PayloadCodecOptions); clients keep
 * the default, an error for a payload that does not authenticate.
 */
export function tandemDataConverter(
  config: Pick<TandemConfig, 'payload'> & { temporal?: Pick<TandemConfig['temporal'], 'namespace'> },
  options: Omit<PayloadCodecOptions, 'namespace'> = {},
): DataConverter {
  const codec = new AesGcmPayloadCodec(config.payload.currentKey, config.payload.decryptionKeys, { namespace: config.temporal?.namespace, ...options });
  return { payloadCodecs: [codec] };
}

export interface TemporalClientHandle {
  client: Client;
  close(): Promise<void>;
}

export async function createTemporalClient(config: Pick<TandemConfig, 'temporal' | 'payload'>): Promise<TemporalClientHandle> {
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: '10s' });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: tandemDataConverter(config) });
  return { client, close: () => connection.close() };
}
