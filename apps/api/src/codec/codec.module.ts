import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller';
import { CodecService } from './codec.service';

/** The Temporal codec server (`/api/codec/encode`, `/api/codec/decode`). */
@Module({ controllers: [CodecController], providers: [CodecService] })
export class CodecModule {}
