import { Module } from '@nestjs/common';
import { DigestsController } from './digests.controller';
import { DigestsService } from './digests.service';
import { MeasuresController } from './measures.controller';
import { MeasuresService } from './measures.service';

/** The operations measures and the weekly per-team digests (docs/contract.md section 7). */
@Module({ controllers: [MeasuresController, DigestsController], providers: [MeasuresService, DigestsService] })
export class MeasuresModule {}
