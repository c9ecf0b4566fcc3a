import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import type { TandemConfig } from '@tandem/config';
import type { AuthedRequest } from '../auth/auth.guard';
import type { VerifiedPrincipal } from '../auth/tokens';
import { Allow, Public } from '../auth/auth.guard';
import { queuesOf } from '../auth/queue-access';
import { ROLES, STAFF_ROLES } from '../auth/roles';
import { signDevToken } from '../auth/tokens';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { CONFIG } from '../tokens';
import { isLoopback } from './loopback';
import type { SessionRevocations } from './revocation';
import { SESSION_REVOCATIONS } from './revocation';

export const devTokenBodySchema = z.strictObject({
  role: z.enum(ROLES),
  sub: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)')
    .default('dev-user'),
});

@Controller('api')
export class SessionController {
  constructor(
    @Inject(CONFIG) private readonly config: TandemConfig,
    @Inject(SESSION_REVOCATIONS) private readonly revocations: SessionRevocations,
  ) {}

  /** Who the caller is and which queues they work from (the console builds its inbox from this). */
  @Get('v1/me')
  @Allow(...STAFF_ROLES)
  me(@Req() req: AuthedRequest): { sub: string; roles: string[]; queues: string[] } {
    const p = req.principal!;
    return { sub: p.sub, roles: p.roles, queues: queuesOf(p) };
  }

  /**
   * Signing out (the console's button): the caller's token is refused from now on, by every replica
   * (session/revocation.ts), until it would have expired anyway.
   */
  @Post('v1/sign-out')
  @Allow(...ROLES)
  @HttpCode(204)
  async signOut(@Req() req: AuthedRequest): Promise<void> {
    const p = req.principal as VerifiedPrincipal;
    await this.revocations.revoke(p, p.sub);
  }

  /**
   * Development sign-in for the console: a short-lived HS256 token for a role. Absent in production.
   * Anyone who can reach it becomes an administrator, so it answers only clients on this machine's
   * loopback interface — a second guard behind listening on 127.0.0.1, for when HOST opens the API.
   */
  @Post('dev/token')
  @Public()
  @HttpCode(200)
  async devToken(@Body(new ZodPipe(devTokenBodySchema, 'body')) body: z.infer<typeof devTokenBodySchema>, @Req() req: Request): Promise<{ token: string }> {
    if (this.config.env === 'production' || !this.config.auth.secret || this.config.auth.jwksUrl) throw new ApiError(404, 'not-found', 'no such route');
    if (!isLoopback(req.socket.remoteAddress))
      throw new ApiError(403, 'forbidden', 'the development sign-in answers only on this machine (loopback); use a token from your identity provider');
    return { token: await signDevToken(this.config, [body.role], body.sub, '8h') };
  }
}
