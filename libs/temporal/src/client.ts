import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { TandemConfig } from '@tandem/config';
import { AesGcmPayloadCodec } from './codec';

/** The one data converter every Tandem client and worker uses: default JSON, then encryption. */
export function tandemDataConverter(config: Pick<TandemConfig, 'payload'>): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(config.payload.currentKey, config.payload.decryptionKeys)] };
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
