import { Body, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Payload } from '@temporalio/common';
import { ValueError } from '@temporalio/common';
import type { TandemConfig } from '@tandem/config';
import { writeAudit } from '@tandem/db';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, workflowBindingsOf } from '@tandem/temporal';
import { patientIdOfPathway } from '@tandem/workflows/contract';
import type { AuthedRequest } from '../auth/auth.guard';
import { Public, TOKEN_VERIFIER } from '../auth/auth.guard';
import type { Principal } from '../auth/roles';
import type { TokenVerifier } from '../auth/tokens';
import { InvalidTokenError } from '../auth/tokens';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { isLoopback } from '../session/loopback';
import { CONFIG, PG_POOL } from '../tokens';
import type { PayloadsJson } from './codec.schemas';
import { fromJson, payloadsSchema, toJson } from './codec.schemas';

/**
 * The Temporal codec-server protocol (POST …/encode, …/decode with protobuf-JSON Payloads) over the
 * same AES-256-GCM codec the services use, so the Temporal UI can show an operator a stuck
 * pathway's payloads (docs/operations.md). `TANDEM_CODEC_AUTH=loopback` (development): this machine
 * only. `token` (production): an admin's bearer token — the UI's `passAccessToken` — and an audit
 * row for every decode, naming who and which workflow.
 */
@Controller('api/codec')
@Public()
export class CodecController {
  private readonly codec: AesGcmPayloadCodec;

  constructor(
    @Inject(CONFIG) private readonly config: TandemConfig,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {
    // Throws on a payload that does not authenticate (a 400): a label changed to another workflow makes
    // the payload undecodable, so the audit below can only name the workflow it belongs to. A payload
    // that is not encrypted answers as the refused marker (nothing decrypted, nothing audited).
    this.codec = new AesGcmPayloadCodec(config.payload.currentKey, config.payload.decryptionKeys, { namespace: config.temporal.namespace });
  }

  @Post('decode')
  @HttpCode(200)
  async decode(
    @Body(new ZodPipe(payloadsSchema, 'body')) body: PayloadsJson,
    @Req() req: AuthedRequest,
    @Headers('x-namespace') namespace?: string,
  ): Promise<PayloadsJson> {
    const caller = await this.admit(req, namespace);
    const payloads = fromJson(body);
    const decoded = await this.run(() => this.codec.decode(payloads));
    await this.audit(caller, payloads);
    return toJson(decoded);
  }

  @Post('encode')
  @HttpCode(200)
  async encode(
    @Body(new ZodPipe(payloadsSchema, 'body')) body: PayloadsJson,
    @Req() req: AuthedRequest,
    @Headers('x-namespace') namespace?: string,
  ): Promise<PayloadsJson> {
    await this.admit(req, namespace);
    return toJson(await this.run(() => this.codec.encode(fromJson(body))));
  }

  /** Who may: this machine in loopback mode; an admin's valid token in token mode. Only our namespace. */
  private async admit(req: AuthedRequest, namespace: string | undefined): Promise<Principal | undefined> {
    let caller: Principal | undefined;
    if (this.config.codec.auth === 'loopback') {
      if (!isLoopback(req.socket.remoteAddress))
        throw new ApiError(403, 'forbidden', 'this codec server answers only on this machine (TANDEM_CODEC_AUTH=loopback)');
    } else {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      if (!token) throw new ApiError(401, 'unauthorized', 'a bearer token is required (Temporal UI: codec passAccessToken)');
      try {
        caller = await this.verify(token);
      } catch (e) {
        if (e instanceof InvalidTokenError) throw new ApiError(401, 'unauthorized', e.message);
        throw e;
      }
      if (!caller.roles.includes('admin')) throw new ApiError(403, 'forbidden', 'decoding pathway payloads is for administrators');
      req.principal = caller;
    }
    if (namespace !== undefined && namespace !== this.config.temporal.namespace)
      throw new ApiError(400, 'wrong-namespace', `this codec serves the namespace ${this.config.temporal.namespace} only`);
    return caller;
  }

  private async run(work: () => Promise<Payload[]>): Promise<Payload[]> {
    try {
      return await work();
    } catch (e) {
      // A payload this codec cannot open: a key it does not hold, or bytes that are not its ciphertext.
      if (e instanceof ValueError || (e as Error).message?.includes('Unsupported state or unable to authenticate data'))
        throw new ApiError(400, 'undecodable', 'a payload could not be decrypted with the configured keys');
      throw e;
    }
  }

  /**
   * One row per workflow whose payloads were decrypted (its patient too), or one saying none was
   * named; none when nothing was decrypted (only refused, unencrypted payloads). A format-2 payload's
   * workflow is authenticated (it decrypted only because its label is the one it was sealed with); a
   * format-1 payload's label (sealed before labels were authenticated) is audited as unverified.
   */
  private async audit(caller: Principal | undefined, payloads: Payload[]): Promise<void> {
    if (!payloads.some((p) => Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString() === ENCRYPTED_ENCODING)) return;
    const bindings = workflowBindingsOf(payloads);
    const actor = caller?.sub ?? 'loopback';
    const roles = caller?.roles ?? [];
    const rows = bindings.length ? bindings : [undefined];
    for (const binding of rows) {
      const patient = binding ? patientIdOfPathway(binding.workflowId) : undefined;
      const resource = !binding
        ? 'no workflow named in the payloads'
        : binding.authenticated
          ? binding.workflowId
          : `${binding.workflowId} (unverified label: payload sealed before format 2)`;
      await writeAudit(this.pool, {
        actor,
        roles,
        action: 'POST /api/codec/decode',
        patientIds: patient ? [patient] : [],
        resource,
        status: 200,
      });
    }
  }
}
