import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import type { Principal, Role } from './roles';
import type { TokenVerifier } from './tokens';
import { InvalidTokenError } from './tokens';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
const ROLES_KEY = 'tandem:roles';
const PUBLIC_KEY = 'tandem:public';

/** The roles allowed on a route. A route with neither @Allow nor @Public is denied to everyone. */
export const Allow = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type AuthedRequest = Request & { principal?: Principal };

/** Deny by default: every route must declare who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new ApiError(401, 'unauthorized', 'a bearer token is required');
    try {
      req.principal = await this.verify(token);
    } catch (e) {
      if (e instanceof InvalidTokenError) throw new ApiError(401, 'unauthorized', e.message);
      throw e;
    }
    if (!allowed || !req.principal.roles.some((r) => allowed.includes(r))) {
      throw new ApiError(403, 'forbidden', 'your roles do not allow this');
    }
    return true;
  }
}
