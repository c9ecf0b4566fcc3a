import { Module } from '@nestjs/common';
import { SessionController } from './session.controller';

/** Who the caller is, signing out, and the development sign-in; the revocations they use are a core provider (the guard checks them). */
@Module({ controllers: [SessionController] })
export class SessionModule {}
