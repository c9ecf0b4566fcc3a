import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ZodPipe } from '../common/zod-pipe';
import type { Digest, DigestSummary } from './digests.service';
import { DigestsService } from './digests.service';
import { digestIdSchema, digestsQuerySchema } from './measures.schemas';

/** docs/contract.md section 7: the weekly per-team digests, newest first. */
@Controller('api/v1/digests')
@Allow('ops', ...PATIENT_WORK_ROLES)
export class DigestsController {
  constructor(@Inject(DigestsService) private readonly digests: DigestsService) {}

  @Get()
  async list(@Query(new ZodPipe(digestsQuerySchema, 'query')) q: { team?: string }): Promise<{ items: DigestSummary[] }> {
    return { items: await this.digests.list(q.team) };
  }

  @Get(':id')
  get(@Param('id', new ZodPipe(digestIdSchema, 'digest id')) id: string, @Req() req: AuthedRequest): Promise<Digest> {
    return this.digests.get(id, req.principal!);
  }
}
