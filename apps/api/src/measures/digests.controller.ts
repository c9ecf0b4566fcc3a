import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Digest, DigestMeasure, DigestSummary } from '@tandem/db';
import { getDigest, listDigests } from '@tandem/db';
import { suppressSmall } from '@tandem/domain';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { PG_POOL } from '../tokens';
import { digestIdSchema, digestsQuerySchema } from './measures.schemas';
import { seesExactFigures } from './measures.service';

/** What `ops` sees of a digest measure: small numbers suppressed this week and last, and no change they would reveal. */
function suppressDigestMeasure(m: DigestMeasure): DigestMeasure {
  const now = suppressSmall(m, m.unit);
  const previous = suppressSmall(m.previous, m.unit);
  return { ...now, previous, change: now.suppressed || previous.suppressed ? null : m.change };
}

/** CONTRACT section 7: the weekly per-team digests, newest first. */
@Controller('api/v1/digests')
@Allow('ops', ...PATIENT_WORK_ROLES)
export class DigestsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  async list(@Query(new ZodPipe(digestsQuerySchema, 'query')) q: { team?: string }): Promise<{ items: DigestSummary[] }> {
    return { items: await listDigests(this.pool, q.team) };
  }

  @Get(':id')
  async get(@Param('id', new ZodPipe(digestIdSchema, 'digest id')) id: string, @Req() req: AuthedRequest): Promise<Digest> {
    const d = await getDigest(this.pool, id);
    if (!d) throw new ApiError(404, 'not-found', 'no digest with this id');
    return seesExactFigures(req.principal!) ? d : { ...d, measures: d.measures.map(suppressDigestMeasure) };
  }
}
