import { Body, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { TandemConfig } from '@tandem/config';
import type { AuthedRequest } from '../auth/auth.guard';
import { Public, TOKEN_VERIFIER } from '../auth/auth.guard';
import type { Principal } from '../auth/roles';
import type { TokenVerifier } from '../auth/tokens';
import { InvalidTokenError } from '../auth/tokens';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { isLoopback } from '../session/loopback';
import { CONFIG } from '../tokens';
import type { PayloadsJson } from './codec.schemas';
import { fromJson, payloadsSchema, toJson } from './codec.schemas';
import { CodecService } from './codec.service';

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
  constructor(
    @Inject(CONFIG) private readonly config: TandemConfig,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
    @Inject(CodecService) private readonly codec: CodecService,
  ) {}

  @Post('decode')
  @HttpCode(200)
  async decode(
    @Body(new ZodPipe(payloadsSchema, 'body')) body: PayloadsJson,
    @Req() req: AuthedRequest,
    @Headers('x-namespace') namespace?: string,
  ): Promise<PayloadsJson> {
    const caller = await this.admit(req, namespace);
    return toJson(await this.codec.decode(fromJson(body), caller));
  }

  @Post('encode')
  @HttpCode(200)
  async encode(
    @Body(new ZodPipe(payloadsSchema, 'body')) body: PayloadsJson,
    @Req() req: AuthedRequest,
    @Headers('x-namespace') namespace?: string,
  ): Promise<PayloadsJson> {
    await this.admit(req, namespace);
    return toJson(await this.codec.encode(fromJson(body)));
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
}
